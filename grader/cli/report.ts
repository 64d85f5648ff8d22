/** The grading report: one entry per graded test, points and score, built from vitest's results. */
import { basename, relative } from "node:path";
import type { ManifestTest } from "./manifest.ts";
import type { Redactor } from "./redact.ts";
import type { RawModule, RawResults, RawTest } from "./reporter.ts";

export interface TestEntry {
  /** Exercise id, e.g. "01.bigram-counts". */
  id: string;
  /** Lesson id, e.g. "01". */
  lesson: string;
  title: string;
  /** Points earned. */
  points: number;
  maxPoints: number;
  status: "passed" | "failed";
  /** Why it failed; "" when it passed. */
  message: string;
  hint: string;
  /** An instructor's hidden test. */
  hidden?: boolean;
  /** Seconds the test ran (absent when it did not run). */
  seconds?: number;
}

export interface GradeReport {
  target: string;
  score: number;
  maxScore: number;
  tests: TestEntry[];
  /** How the graded code was confined, e.g. ["node-permission", "bubblewrap"]. */
  sandbox?: string[];
  /** The submission's time limit in seconds, and whether it passed before every test ran. */
  deadline?: { seconds: number; passed: boolean };
  /** Seconds the grading took. */
  seconds?: number;
}

/** A failure message for a manifest test the run did not report. */
export const DID_NOT_RUN = "did not run";
export const TIME_LIMIT = "not graded: time limit for the submission";

/** Strip terminal colour codes. */
export function plainText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, "");
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function graded(test: RawTest): TestEntry | null {
  const g = test.grade;
  if (!g || test.state === "skipped") return null;
  const passed = test.state === "passed";
  const why = test.errors.join("\n") || (test.state === "pending" ? "the test did not finish" : "failed");
  return {
    id: g.id,
    lesson: g.lesson,
    title: g.title,
    points: passed ? g.points : 0,
    maxPoints: g.points,
    status: passed ? "passed" : "failed",
    message: passed ? "" : plainText(why),
    hint: g.hint,
  };
}

/** A test file that failed as a whole (did not load, or a hook failed). */
function fileFailure(module: RawModule, root: string): TestEntry {
  const name = basename(module.file).replace(/\.test\.ts$/, "");
  const where = relative(root, module.file).startsWith("..") ? module.file : relative(root, module.file);
  return {
    id: name,
    lesson: name.split("-")[0] ?? "",
    title: "test file",
    points: 0,
    maxPoints: 0,
    status: "failed",
    message: plainText(`${where} could not run: ${module.errors.join("\n")}`),
    hint: "This is a problem of the grader's tests, not of the graded code; report it to the course maintainers.",
  };
}

/** A failure of the whole run (no results at all, or an error outside every test). */
export function runFailure(message: string): TestEntry {
  return {
    id: "(grader)",
    lesson: "",
    title: "grading run",
    points: 0,
    maxPoints: 0,
    status: "failed",
    message: plainText(message),
    hint: "The grading run itself failed; the message says why.",
  };
}

export function makeReport(target: string, tests: TestEntry[]): GradeReport {
  return {
    target,
    score: round(tests.reduce((s, t) => s + t.points, 0)),
    maxScore: round(tests.reduce((s, t) => s + t.maxPoints, 0)),
    tests,
  };
}

/** The report of a vitest run's raw results. */
export function reportFromResults(target: string, results: RawResults, root: string): GradeReport {
  const tests: TestEntry[] = [];
  const modules = [...results.modules].sort(
    (a, b) => basename(a.file).localeCompare(basename(b.file)) || a.file.localeCompare(b.file),
  );
  for (const module of modules) {
    if (module.errors.length > 0) tests.push(fileFailure(module, root));
    for (const test of module.tests) {
      const entry = graded(test);
      if (entry) tests.push(entry);
    }
  }
  for (const err of results.unhandled) tests.push(runFailure(`an error escaped the tests: ${err}`));
  return makeReport(target, tests);
}

/** Where a run's raw results stand against the manifest: what each expected test reported. */
export interface Expected {
  /** The tests the run must report (the manifest's, narrowed to the selected ids). */
  tests: ManifestTest[];
  /** The run was stopped at the submission's deadline. */
  deadlinePassed: boolean;
}

function rawByKey(results: RawResults): { tests: Map<string, RawTest>; fileErrors: Map<string, string> } {
  const tests = new Map<string, RawTest>();
  const fileErrors = new Map<string, string>();
  for (const module of results.modules) {
    if (module.errors.length) fileErrors.set(basename(module.file), module.errors.join("\n"));
    for (const test of module.tests) {
      const g = test.grade;
      if (g && !tests.has(`${g.id} ${g.title}`)) tests.set(`${g.id} ${g.title}`, test);
    }
  }
  return { tests, fileErrors };
}

/**
 * The report of a run scored against the manifest: one entry per expected test, its points from
 * the manifest. A test the run did not report fails with "did not run" (or the time-limit message);
 * tests the manifest does not know are ignored. Files that failed to load and errors outside the
 * tests are added as 0-point entries.
 */
export function reportAgainstManifest(target: string, results: RawResults | null, expected: Expected, root: string): GradeReport {
  const { tests: raw, fileErrors } = results ? rawByKey(results) : { tests: new Map<string, RawTest>(), fileErrors: new Map<string, string>() };
  const entries: TestEntry[] = [];
  const hints = new Map<string, string>();
  for (const t of raw.values()) if (t.grade) hints.set(t.grade.id, t.grade.hint);
  for (const m of expected.tests) {
    const test = raw.get(m.key);
    const passed = test?.state === "passed";
    let message = "";
    if (!test || test.state === "skipped" || test.state === "pending") {
      const loadError = fileErrors.get(m.file);
      message = expected.deadlinePassed ? TIME_LIMIT : loadError ? `${DID_NOT_RUN}: ${m.file} could not run: ${loadError}` : `${DID_NOT_RUN}`;
    } else if (!passed) {
      message = test.errors.join("\n") || "failed";
    }
    entries.push({
      id: m.id, lesson: m.lesson, title: m.title, points: passed ? m.points : 0, maxPoints: m.points,
      status: passed ? "passed" : "failed", message: plainText(message), hint: test?.grade?.hint ?? hints.get(m.id) ?? "",
      ...(m.hidden ? { hidden: true } : {}),
      ...(test?.ms !== undefined ? { seconds: Math.round(test.ms) / 1000 } : {}),
    });
  }
  if (results) {
    for (const module of results.modules) if (module.errors.length > 0) entries.push(fileFailure(module, root));
    for (const err of results.unhandled) entries.push(runFailure(`an error escaped the tests: ${err}`));
  }
  return makeReport(target, entries);
}

/** The same report with every message made safe to show (secret text removed, length capped). */
export function redacted(report: GradeReport, redactor: Redactor): GradeReport {
  return { ...report, tests: report.tests.map((t) => ({ ...t, message: redactor.clean(t.message) })) };
}

/** How many graded tests passed and failed. */
export function counts(report: GradeReport): { passed: number; failed: number } {
  const passed = report.tests.filter((t) => t.status === "passed").length;
  return { passed, failed: report.tests.length - passed };
}
