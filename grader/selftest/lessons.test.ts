/**
 * The course's own lessons through the real grade CLI: the references score 100 %, freshly
 * generated stubs fail every test with "not implemented", and implementing one exercise makes
 * exactly that exercise's tests pass.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateStub } from "../../scripts/exercise-gen.ts";
import { generateAll, notebookFor } from "../../scripts/exercise-files.ts";
import { ROOT, runCli } from "./helpers/cli.ts";

const lessonArgs = ["--solutions", join(ROOT, "solutions"), "--tests", join(ROOT, "grader", "tests")];
const scratch = () => mkdtempSync(join(tmpdir(), "lessons-"));

/** Stubs as the generator writes them now (independent of any edits in exercises/). */
function freshStubs(keep?: { file: string; exercise: string }): string {
  const dir = scratch();
  for (const { name, text } of generateAll(ROOT)) {
    let stub = text;
    if (keep && keep.file === name) {
      const source = unmark(readFileSync(join(ROOT, "solutions", name), "utf8"), keep.exercise);
      stub = generateStub(source, { fileName: name, notebook: notebookFor(ROOT, name.slice(0, 2)) });
    }
    writeFileSync(join(dir, name), stub);
  }
  return dir;
}

/**
 * The references with a leak added to every exported function: each call leaves one scalar
 * tensor allocated, then does the reference's work.
 */
function leakyReferences(): string {
  const dir = scratch();
  for (const name of readdirSync(join(ROOT, "solutions")).filter((f) => /^\d\d-.*\.ts$/.test(f))) {
    const source = readFileSync(join(ROOT, "solutions", name), "utf8");
    const names = [...source.matchAll(/^export function (\w+)/gm)].map((m) => m[1] as string);
    const renamed = source.replace(/^export function (\w+)/gm, "function __reference_$1");
    const wrappers = names.map((n) => `export function ${n}(...args: any[]): any {\n  __tf.scalar(0);\n  return (__reference_${n} as any)(...args);\n}`);
    writeFileSync(join(dir, name), `import { tf as __tf } from "@course/lib";\n${renamed}\n${wrappers.join("\n")}\n`);
  }
  return dir;
}

/** The tests that check for leaked tensors. */
const LEAK_TESTS = "leak|no tensor|leaves no";

/** The solution text with the BEGIN/END markers of one exercise removed. */
function unmark(source: string, exercise: string): string {
  const lines = source.split("\n"), out: string[] = [];
  let inside = false;
  for (const line of lines) {
    if (line.includes(`// BEGIN SOLUTION exercise=${exercise} `)) { inside = true; continue; }
    if (inside && /\/\/ END SOLUTION\s*$/.test(line)) { inside = false; continue; }
    out.push(line);
  }
  return out.join("\n");
}

describe("the course's lessons under the grader", () => {
  it("reference solutions score 100 %", async () => {
    const run = await runCli([...lessonArgs, "--target", "solutions"], join(scratch(), "report.json"));
    const failed = run.report.tests.filter((t) => t.status === "failed");
    expect(failed.map((t) => `${t.id}: ${t.message}`)).toEqual([]);
    expect(run.report.score).toBe(run.report.maxScore);
    expect(run.report.tests.length).toBeGreaterThanOrEqual(14);
    expect(run.stdout).toMatch(/^\d+ passed, 0 failed$/m);
  }, 900_000);

  it("fresh stubs fail every graded test with 'not implemented'", async () => {
    const run = await runCli([...lessonArgs, "--target", freshStubs()], join(scratch(), "report.json"));
    expect(run.code).toBe(1);
    expect(run.report.score).toBe(0);
    for (const t of run.report.tests) {
      expect(t.status, t.id).toBe("failed");
      expect(t.message, t.id).toMatch(/^not implemented: exercise /);
    }
    expect(run.stdout).toMatch(/^0 passed, \d+ failed$/m);
  }, 900_000);

  it("a deliberately leaking implementation fails every leak test", async () => {
    const run = await runCli([...lessonArgs, "--target", leakyReferences(), "--grep", LEAK_TESTS], join(scratch(), "report.json"));
    expect(run.report.tests.length).toBeGreaterThanOrEqual(20);
    for (const t of run.report.tests) {
      expect(t.status, `${t.id} ${t.title}`).toBe("failed");
      expect(t.message, `${t.id} ${t.title}`).toMatch(/tensors/);
    }
  }, 600_000);

  it("implementing one exercise makes exactly its tests pass", async () => {
    const target = freshStubs({ file: "01-bigram.ts", exercise: "01.bigram-probs" });
    const run = await runCli([...lessonArgs, "--target", target, "01"], join(scratch(), "report.json"));
    const passed = new Set(run.report.tests.filter((t) => t.status === "passed").map((t) => t.id));
    expect([...passed]).toEqual(["01.bigram-probs"]);
    const others = run.report.tests.filter((t) => t.id !== "01.bigram-probs");
    expect(others.length).toBeGreaterThan(0);
    for (const t of others) expect(t.message, t.id).toMatch(/^not implemented/);
  });
});
