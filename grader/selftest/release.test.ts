/**
 * A student release of lesson 00, built as an instructor would: it holds no solution text anywhere,
 * and its own grader, working from recorded expectations, scores the stubs 0 and the references
 * (copied in from outside) 100 %.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildRelease } from "../../scripts/release.ts";
import { allowedInLibrary, findSolutionText, judge, solutionRegions } from "../../scripts/release/solution-text.ts";
import { ROOT } from "./helpers/cli.ts";
import { borrowNodeModules, gradeIn } from "./helpers/in-tree.ts";

let scratch: string;
let out: string;
let shared: string[];

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "release-test-"));
  out = join(scratch, "release");
  shared = (await buildRelease(out, ["00"])).sharedWithLibrary;
  borrowNodeModules(out);
}, 400_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe("a student release (lesson 00)", () => {
  test("has no solutions/, no BEGIN SOLUTION text and no reference body in any file", () => {
    expect(existsSync(join(out, "solutions"))).toBe(false);
    expect(existsSync(join(out, "exercises", "00-tensors.ts"))).toBe(true);
    expect(existsSync(join(out, "exercises", "01-bigram.ts"))).toBe(false);
    expect(existsSync(join(out, "grader", "expected", "00-tensors.json"))).toBe(true);
    // Nothing, but the one-line bodies library-may-hold.txt lets the library keep (none of lesson 00).
    const allowed = allowedInLibrary();
    const { shared: inLib, problems } = judge(findSolutionText(out, join(ROOT, "solutions")), allowed);
    expect(problems.map((f) => f.text)).toEqual([]);
    expect(inLib.every((f) => f.where.startsWith("lib/src/") && f.ref?.file !== "00-tensors.ts")).toBe(true);
    expect(inLib.map((f) => f.text)).toEqual(shared.map((t) => t.replace(/ — allowed: .*$/, "")));
    // The check would notice: a lesson-00 body pasted into the library, or an allowed body outside it.
    const body = solutionRegions(readFileSync(join(ROOT, "solutions", "00-tensors.ts"), "utf8"))[0]?.body as string;
    const [file, symbol] = ([...allowed.keys()][0] as string).split(" ") as [string, string];
    const oneLiner = solutionRegions(readFileSync(join(ROOT, "solutions", file), "utf8"), file).find((r) => r.symbol === symbol)?.body as string;
    writeFileSync(join(out, "lib", "src", "pasted.ts"), `export const x = () => { ${body} };\n`);
    writeFileSync(join(out, "notebooks", "pasted.ts"), `${oneLiner}\n`);
    const caught = judge(findSolutionText(out, join(ROOT, "solutions")), allowed).problems.map((f) => f.where).sort();
    rmSync(join(out, "lib", "src", "pasted.ts"));
    rmSync(join(out, "notebooks", "pasted.ts"));
    expect(caught).toEqual(["lib/src/pasted.ts", "notebooks/pasted.ts"]);
    const notebook = readFileSync(join(out, "notebooks", "00-tensors.ipynb"), "utf8");
    expect(notebook).toContain("student release");
    expect(notebook).not.toContain('target: \\"solutions\\"');
  });

  test("its grader scores the stubs 0 and the references, copied in from outside, 100 %", async () => {
    const stubs = await gradeIn(out, ["--target", "exercises"], join(scratch, "stubs", "grade-report.json"));
    expect(stubs.report.score).toBe(0);
    expect(stubs.report.maxScore).toBeGreaterThan(0);
    for (const t of stubs.report.tests) expect(t.message, t.id).toMatch(/^not implemented/);
    const refs = join(scratch, "references");
    mkdirSync(refs);
    copyFileSync(join(ROOT, "solutions", "00-tensors.ts"), join(refs, "00-tensors.ts"));
    const good = await gradeIn(out, ["--target", refs], join(scratch, "refs", "grade-report.json"));
    expect(good.report.tests.filter((t) => t.status !== "passed").map((t) => `${t.id}: ${t.message}`)).toEqual([]);
    expect(good.report.score).toBe(stubs.report.maxScore);
  }, 400_000);
});
