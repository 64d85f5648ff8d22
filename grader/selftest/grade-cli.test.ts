/**
 * The grade CLI end to end: the fixture lesson 98 graded through `grader/grade.ts` (spawned) for
 * the reference, the stub and submissions that are wrong in every way the grader must survive.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { FIXTURES, pooled, runCli, xmlProblems, type CliRun, type Entry } from "./helpers/cli.ts";
import { makeTempFixtures, type TempFixtures } from "./helpers/temp-fixtures.ts";

const TITLES = {
  affine: "98.affine x·w + b matches the reference",
  leaks: "98.affine leaves no tensors behind",
  meanSquare: "98.mean-square matches the reference on seeded draws",
  letters: "98.letter-counts counts match the reference",
};
const ALL = Object.values(TITLES);

const sub = (name: string): string[] => ["--target", join(FIXTURES, "submissions", name)];

function plan(t: TempFixtures): Record<string, string[]> {
  const subs = ["stub", "correct", "partial", "one-wrong", "wrong-shape", "throws", "hangs", "oom", "exit", "missing-export", "leaks"];
  return {
    reference: ["--target", join(FIXTURES, "solutions")],
    ...Object.fromEntries(subs.map((s) => [s, sub(s)])),
    "syntax-error": ["--target", t.syntaxError],
    "missing-file": ["--target", t.empty],
    outside: ["--target", t.outside],
    "reference-bug": [...sub("correct"), "--solutions", join(FIXTURES, "submissions", "throws")],
    hidden: [...sub("correct"), "--hidden", t.hidden],
    "one-exercise": ["98.mean-square", ...sub("partial")],
  };
}

let temp: TempFixtures;
const runs: Record<string, CliRun> = {};

beforeAll(async () => {
  temp = makeTempFixtures();
  const [first, ...entries] = Object.entries(plan(temp));
  // The reference first: its outputs are then kept for every other run.
  const [name, args] = first as [string, string[]];
  runs[name] = await runCli(args, join(temp.root, "reports", name, "grade-report.json"));
  const done = await pooled(
    entries.map(([name, args]) => () => runCli(args, join(temp.root, "reports", name, "grade-report.json"))),
    3,
  );
  entries.forEach(([n], i) => (runs[n] = done[i] as CliRun));
}, 480_000);

afterAll(() => {
  if (temp) rmSync(temp.root, { recursive: true, force: true });
});

function byTitle(run: CliRun): Map<string, Entry> {
  return new Map(run.report.tests.map((t) => [`${t.id} ${t.title}`, t]));
}

/** The tests that failed, by title, with their messages. */
function failures(run: CliRun): Record<string, string> {
  return Object.fromEntries(run.report.tests.filter((t) => t.status === "failed").map((t) => [`${t.id} ${t.title}`, t.message]));
}

/** Exactly `failing` failed (each message matching), everything else passed. */
function expectOnly(run: CliRun, failing: Record<string, RegExp>): void {
  const failed = failures(run);
  expect(Object.keys(failed).sort()).toEqual(Object.keys(failing).sort());
  for (const [title, pattern] of Object.entries(failing)) expect(failed[title]).toMatch(pattern);
  expect(run.code).toBe(Object.keys(failing).length ? 1 : 0);
}

describe("grade CLI on fixture lesson 98", () => {
  test("every run writes a valid JSON report, results.json and junit.xml, and ends its table with the counts", () => {
    for (const [name, run] of Object.entries(runs)) {
      const { report, gradescope } = run;
      const passed = report.tests.filter((t) => t.status === "passed").length;
      const failed = report.tests.length - passed;
      expect(run.stdout, name).toContain(`\n${passed} passed, ${failed} failed\n`);
      expect(run.stdout, name).toMatch(/Score: [\d.]+\/[\d.]+ points/);
      expect(run.code, name).toBe(failed === 0 ? 0 : 1);
      expect(report.score, name).toBe(report.tests.reduce((s, t) => s + t.points, 0));
      expect(gradescope.tests.length, name).toBe(report.tests.length);
      expect(gradescope.score, name).toBe(report.score);
      expect(xmlProblems(run.junit), name).toEqual([]);
      expect(run.junit.match(/<testcase /g)?.length, name).toBe(report.tests.length);
      for (const t of report.tests) {
        expect(t.message === "", `${name}: ${t.id} message iff failed`).toBe(t.status === "passed");
        expect(t.lesson, name).toBe(t.id.slice(0, 2));
      }
    }
  });

  test("the reference scores 100 %", () => {
    const { report } = runs.reference as CliRun;
    expect(report.tests.map((t) => `${t.id} ${t.title}`).sort()).toEqual([...ALL].sort());
    expect([report.score, report.maxScore]).toEqual([7, 7]);
    expectOnly(runs.reference as CliRun, {});
  });

  test("the stub fails every test with “not implemented”", () => {
    expectOnly(runs.stub as CliRun, Object.fromEntries(ALL.map((t) => [t, /^not implemented: exercise 98\./])));
    expect(runs.stub?.report.score).toBe(0);
  });

  test("a correct submission, also outside the repository, scores 100 %", () => {
    expectOnly(runs.correct as CliRun, {});
    expectOnly(runs.outside as CliRun, {});
  });

  test("implementing one function makes exactly its tests pass", () => {
    const nyi = /^not implemented/;
    expectOnly(runs.partial as CliRun, { [TITLES.affine]: nyi, [TITLES.leaks]: nyi, [TITLES.letters]: nyi });
    expect(byTitle(runs.partial as CliRun).get(TITLES.meanSquare)?.points).toBe(2);
  });

  test("a wrong value fails only its test, naming the worst element", () => {
    expectOnly(runs["one-wrong"] as CliRun, {
      [TITLES.affine]: /^affine\(x, w, b\): worst element \[\d, \d\]: got -?[\d.]+, expected -?[\d.]+ \(\|diff\| [\d.]+ > tol [\d.]+e-\d\)/,
    });
  });

  test("a wrong shape is reported before any value", () => {
    expectOnly(runs["wrong-shape"] as CliRun, { [TITLES.affine]: /^affine\(x, w, b\): shape \[2, 4\], expected \[4, 2\]$/ });
  });

  test("a throwing function names itself, the error and the line in the learner's file", () => {
    expectOnly(runs.throws as CliRun, {
      [TITLES.meanSquare]: /^meanSquare threw: TypeError: xs\.sum is not a function\n {2}at grader\/selftest\/fixtures\/submissions\/throws\/98-fixture\.ts:9:\d+$/,
    });
  });

  test("a hang is stopped at the probe's time limit", () => {
    expectOnly(runs.hangs as CliRun, { [TITLES.letters]: /^letterCounts .*did not finish within 5 s — an infinite loop\?/ });
  });

  test("running out of memory fails only that test", () => {
    expectOnly(runs.oom as CliRun, { [TITLES.meanSquare]: /^meanSquare .*ran out of memory \(the limit is 192 MB\)/ });
  });

  test("process.exit in learner code is caught and named", () => {
    expectOnly(runs.exit as CliRun, { [TITLES.letters]: /^letterCounts called process\.exit\(3\); remove it/ });
  });

  test("a missing export is named with its file", () => {
    expectOnly(runs["missing-export"] as CliRun, {
      [TITLES.meanSquare]: /^grader\/selftest\/fixtures\/submissions\/missing-export\/98-fixture\.ts has no export named meanSquare \(did you rename or delete it\?\)$/,
    });
  });

  test("leaked tensors fail only the leak test", () => {
    expectOnly(runs.leaks as CliRun, { [TITLES.leaks]: /tensors left allocated by affine: expected 4 to be \+0/ });
  });

  test("a syntax error fails every test with the file, line and column", () => {
    expectOnly(runs["syntax-error"] as CliRun, Object.fromEntries(ALL.map((t) => [t, /does not compile:\n.*98-fixture\.ts:2:\d+/])));
  });

  test("a missing file fails every test and says which file", () => {
    expectOnly(runs["missing-file"] as CliRun, Object.fromEntries(ALL.map((t) => [t, /98-fixture\.ts is missing\./])));
  });

  test("a failing reference is reported as a grader bug, not as the learner's failure", () => {
    expectOnly(runs["reference-bug"] as CliRun, { [TITLES.meanSquare]: /^grader bug: the reference .*throws\/98-fixture\.ts failed in probe "meanSquare": meanSquare threw/ });
  });

  test("hidden tests are added to the run; a hidden file that fails to load is reported", () => {
    const run = runs.hidden as CliRun;
    expectOnly(run, { "98-broken test file": /98-broken\.test\.ts could not run: this hidden test file is broken/ });
    expect(byTitle(run).get("98.mean-square hidden: seven draws")?.points).toBe(3);
    expect(run.report.maxScore).toBe(10);
  });

  test("an exercise id narrows the run to that exercise's tests", () => {
    const run = runs["one-exercise"] as CliRun;
    expect(run.report.tests.map((t) => t.id)).toEqual(["98.mean-square"]);
    expectOnly(run, {});
  });
});
