/**
 * The report files: the course's JSON report, Gradescope's results.json and JUnit XML, the last
 * two beside the first.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { GradeReport, TestEntry } from "./report.ts";

function pts(points: number): string {
  return `${points} ${points === 1 ? "pt" : "pts"}`;
}

function testName(t: TestEntry): string {
  return `${t.id} [${pts(t.maxPoints)}] ${t.title}`;
}

function withHint(t: TestEntry): string {
  if (t.status === "passed") return "";
  return t.hint ? `${t.message}\n\nHint: ${t.hint}` : t.message;
}

/**
 * When Gradescope shows a hidden test to the student: GRADE_HIDDEN_VISIBILITY, default
 * `after_published` (`hidden`, `after_due_date` and `visible` are the others).
 */
function hiddenVisibility(): string {
  const v = process.env.GRADE_HIDDEN_VISIBILITY ?? "after_published";
  return ["hidden", "after_due_date", "after_published", "visible"].includes(v) ? v : "after_published";
}

/**
 * Gradescope's autograder format (https://gradescope-autograders.readthedocs.io/en/latest/specs/):
 * per test its visibility (hidden tests after publishing), output and execution time; the
 * grader's console output (stdout) is for the instructor only.
 */
export function gradescope(report: GradeReport): object {
  return {
    score: report.score,
    ...(report.seconds !== undefined ? { execution_time: report.seconds } : {}),
    stdout_visibility: "hidden",
    tests: report.tests.map((t) => ({
      name: testName(t),
      score: t.points,
      max_score: t.maxPoints,
      status: t.status,
      output: withHint(t),
      visibility: t.hidden ? hiddenVisibility() : "visible",
      ...(t.seconds !== undefined ? { execution_time: t.seconds } : {}),
    })),
  };
}

function xml(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

function testcase(t: TestEntry): string {
  const open = `    <testcase classname="${xml(t.id)}" name="${xml(`[${pts(t.maxPoints)}] ${t.title}`)}"`;
  if (t.status === "passed") return `${open}/>`;
  const first = t.message.split("\n")[0] ?? "";
  return `${open}>\n      <failure message="${xml(first)}">${xml(withHint(t))}</failure>\n    </testcase>`;
}

/** JUnit XML: one suite per lesson. */
export function junit(report: GradeReport): string {
  const lessons = [...new Set(report.tests.map((t) => t.lesson))];
  const failures = (ts: TestEntry[]): number => ts.filter((t) => t.status === "failed").length;
  const suites = lessons.map((lesson) => {
    const ts = report.tests.filter((t) => t.lesson === lesson);
    const name = lesson ? `lesson ${lesson}` : "grader";
    return [
      `  <testsuite name="${xml(name)}" tests="${ts.length}" failures="${failures(ts)}">`,
      ...ts.map(testcase),
      "  </testsuite>",
    ].join("\n");
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="grade ${xml(report.target)}" tests="${report.tests.length}" failures="${failures(report.tests)}">`,
    ...suites,
    "</testsuites>",
    "",
  ].join("\n");
}

/** Write the three reports; returns their paths. */
export function writeReports(report: GradeReport, jsonFile: string): string[] {
  const dir = dirname(jsonFile);
  mkdirSync(dir, { recursive: true });
  const files: [string, string][] = [
    [jsonFile, `${JSON.stringify(report, null, 2)}\n`],
    [join(dir, "results.json"), `${JSON.stringify(gradescope(report), null, 2)}\n`],
    [join(dir, "junit.xml"), junit(report)],
  ];
  for (const [file, text] of files) writeFileSync(file, text);
  return files.map(([file]) => file);
}
