/**
 * `grade-all` on a small class of fixture lesson 98: folders, a zip and a clone with exercises/,
 * correct, partial, stub and broken submissions; the gradebook has one row per student with the
 * right points, and no failure is blamed on the grader.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { FIXTURES, ROOT } from "./helpers/cli.ts";
import { runIn, type TreeRun } from "./helpers/in-tree.ts";

let scratch: string;
let run: TreeRun;

function student(dir: string, name: string, from: string): void {
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(FIXTURES, "submissions", from, "98-fixture.ts"), join(dir, "98-fixture.ts"));
  void name;
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "grade-all-test-"));
  const subs = join(scratch, "subs");
  student(join(subs, "ada"), "ada", "correct");
  student(join(subs, "bo", "exercises"), "bo", "partial");
  student(join(scratch, "zip", "cy"), "cy", "stub");
  spawnSync("zip", ["-q", "-r", join(subs, "cy.zip"), "cy"], { cwd: join(scratch, "zip") });
  mkdirSync(join(subs, "dee"));
  writeFileSync(join(subs, "dee", "98-fixture.ts"), "export function affine( {\n");
  const tsx = join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");
  run = await runIn(ROOT, process.execPath, [
    tsx, join(ROOT, "grader", "cli", "grade-all.ts"), subs, "--out", join(scratch, "reports"), "--jobs", "2",
    "--solutions", join(FIXTURES, "solutions"), "--tests", join(FIXTURES, "tests"),
  ], { GRADE_EXPECTED_DIR: join(scratch, "expected") });
}, 400_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe("grade-all", () => {
  test("writes a gradebook row per student with the points of each exercise", () => {
    expect(run.code, run.output.slice(-3000)).toBe(0);
    const rows = readFileSync(join(scratch, "reports", "gradebook.csv"), "utf8").trim().split("\n");
    expect(rows[0]).toBe("student,98.affine,98.letter-counts,98.mean-square,total,max,percent");
    const byName = Object.fromEntries(rows.slice(1).map((r) => [r.split(",")[0], r]));
    expect(Object.keys(byName).sort()).toEqual(["ada", "bo", "cy", "dee"]);
    expect(byName.ada).toBe("ada,4,1,2,7,7,100.0");
    expect(byName.cy).toBe("cy,0,0,0,0,7,0.0");
    expect(byName.dee).toBe("dee,0,0,0,0,7,0.0");
    const bo = (byName.bo as string).split(",");
    expect(Number(bo[4])).toBeGreaterThan(0);
    expect(Number(bo[4])).toBeLessThan(7);
  });

  test("reports each submission, says no failure is the grader's, and states its throughput", () => {
    for (const name of ["ada", "bo", "cy", "dee"]) {
      const report = JSON.parse(readFileSync(join(scratch, "reports", name, "grade-report.json"), "utf8")) as { maxScore: number };
      expect(report.maxScore).toBe(7);
    }
    expect(readFileSync(join(scratch, "reports", "grader-faults.txt"), "utf8")).toMatch(/^No failure looks like the grader's fault/);
    expect(run.output).toMatch(/Graded 4 submissions in \d+ s with 2 at a time/);
    expect(run.output).toMatch(/one hour grades about \d+ submissions/);
  });
});
