/**
 * A class that wants points without the work: each attack on fixture lesson 98 is graded through
 * the real CLI, and each must gain nothing it did not earn, change no file it should not, leak
 * nothing secret into any report, and never cost the reports.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { pooled, runCli, type CliRun } from "./helpers/cli.ts";
import { cheats, makeCheatWorld, SECRET, type CheatWorld } from "./helpers/cheats.ts";

let w: CheatWorld;
const runs: Record<string, CliRun> = {};
const before = new Map<string, string>();
let afterWait = new Map<string, string>();

const hash = (file: string): string => (existsSync(file) ? createHash("sha256").update(readFileSync(file)).digest("hex") : "missing");
const reportFiles = (name: string): string[] => ["grade-report.json", "results.json", "junit.xml"].map((f) => join(w.reports, name, f));

beforeAll(async () => {
  w = makeCheatWorld();
  for (const f of w.victims) before.set(f, hash(f));
  const subs = cheats(w);
  for (const [name, text] of Object.entries(subs)) writeFileSync(join(w.submission(name), "98-fixture.ts"), text);
  const base = ["--solutions", w.solutions, "--tests", w.tests, "--hidden", w.hidden];
  const plan: Record<string, string[]> = {
    ...Object.fromEntries(Object.keys(subs).filter((n) => n !== "hang" && n !== "correct").map((n) => [n, [...base, "--target", w.submission(n)]])),
    hang: [...base, "--target", w.submission("hang"), "--deadline", "14"],
    deleted: ["--solutions", w.solutions, "--tests", w.testsDeleted, "--target", w.submission("correct")],
    extra: ["--solutions", w.solutions, "--tests", w.testsExtra, "--target", w.submission("correct")],
  };
  const env = { GRADE_EXPECTED_DIR: w.expected };
  // The references first: their outputs are then recorded for every attack.
  runs.reference = await runCli([...base, "--target", w.solutions], join(w.reports, "reference", "grade-report.json"), env);
  const names = Object.keys(plan);
  const done = await pooled(names.map((n) => () => runCli(plan[n] as string[], join(w.reports, n, "grade-report.json"), env)), 3);
  names.forEach((n, i) => (runs[n] = done[i] as CliRun));
  // Anything a submission left running would strike now.
  await new Promise((r) => setTimeout(r, 4000));
  afterWait = new Map(reportFiles("tamper").map((f) => [f, hash(f)]));
}, 480_000);

afterAll(() => {
  if (w) rmSync(w.root, { recursive: true, force: true });
});

const passed = (run: CliRun): string[] => run.report.tests.filter((t) => t.status === "passed").map((t) => `${t.id} ${t.title}`);

describe("a submission that cheats gains nothing and never loses the report", () => {
  test("the references score 100 % (hidden test included) under the sandbox", () => {
    const r = runs.reference as CliRun;
    expect(r.report.tests.filter((t) => t.status === "failed").map((t) => t.message)).toEqual([]);
    expect(r.report.maxScore).toBe(10);
    expect(r.report.sandbox?.length).toBeGreaterThan(0);
  });

  test("re-exporting the references (by absolute or relative path) scores 0", () => {
    for (const name of ["re-export", "re-export-relative"]) {
      const r = runs[name] as CliRun;
      expect(r.report.score, name).toBe(0);
      expect(r.report.maxScore, name).toBe(10);
      for (const t of r.report.tests) expect(t.message, `${name} ${t.title}`).toMatch(/outside|does not compile|permission|denied|no such file/i);
    }
  });

  test("reading the references, hidden tests or recorded outputs scores 0 and leaks nothing into any report", () => {
    const r = runs["read-everything"] as CliRun;
    expect(r.report.score).toBe(0);
    const secrets = [join(w.solutions, "98-fixture.ts"), join(w.hidden, "98-secret.test.ts")].map((f) => readFileSync(f, "utf8"));
    const lines = secrets.flatMap((s) => s.split("\n").map((l) => l.trim()).filter((l) => l.length >= 40));
    expect(lines.length).toBeGreaterThan(3);
    for (const file of reportFiles("read-everything")) {
      const text = readFileSync(file, "utf8");
      expect(text.includes(SECRET), `${file} names the hidden test's marker`).toBe(false);
      for (const line of lines) expect(text.includes(line), `${file} holds "${line}"`).toBe(false);
      for (const m of JSON.parse(readFileSync(reportFiles("read-everything")[0] as string, "utf8")).tests) expect(m.message.length).toBeLessThan(2200);
    }
  });

  test("rewriting tests, references, the manifest or grader files, spawning, and forging reports change nothing", () => {
    const r = runs.tamper as CliRun;
    expect(r.report.score).toBe(0);
    expect(r.report.maxScore).toBe(10);
    for (const f of w.victims) expect(hash(f), f).toBe(before.get(f));
    for (const f of reportFiles("tamper")) {
      expect(readFileSync(f, "utf8")).not.toContain("forged");
      expect(afterWait.get(f), `${f} changed after the grader wrote it`).toBe(hash(f));
    }
    expect(JSON.parse(readFileSync(reportFiles("tamper")[0] as string, "utf8")).tests.length).toBe(5);
  });

  test("trying to kill the grader, its test process or the process group fails; every test is still graded", () => {
    const r = runs.kill as CliRun;
    expect(r.report.tests.map((t) => t.message).filter((m) => /did not run|stopped/.test(m))).toEqual([]);
    expect(passed(r)).toContain("98.affine x·w + b matches the reference");
    expect(passed(r)).toContain("98.letter-counts counts match the reference");
  });

  test("a hang in every test stops at the submission's deadline; the rest is 'not graded', all three reports written", () => {
    const r = runs.hang as CliRun;
    expect(r.report.maxScore).toBe(10);
    expect(r.report.score).toBe(0);
    expect(r.report.deadline).toEqual({ seconds: 14, passed: true });
    expect(r.report.tests.some((t) => t.message === "not graded: time limit for the submission")).toBe(true);
    expect(r.gradescope.tests.length).toBe(5);
    expect(r.junit).toContain("not graded: time limit for the submission");
    // Listing and starting the run take seconds on a busy machine; the hanging tests themselves stop at 14 s.
    expect(r.ms).toBeLessThan(150_000);
  });

  test("a deleted test file keeps the maximum, its tests 'did not run'; a test the manifest does not know is ignored", () => {
    const d = runs.deleted as CliRun;
    expect(d.report.maxScore).toBe(7);
    expect(d.report.score).toBe(0);
    for (const t of d.report.tests) expect(t.message).toBe("did not run");
    const e = runs.extra as CliRun;
    expect(e.report.maxScore).toBe(7);
    expect(e.report.score).toBe(7);
    expect(e.report.tests.map((t) => t.title)).not.toContain("free points for everyone");
  });
});
