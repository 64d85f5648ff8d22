/**
 * An exercise that hands its work to its library twin earns nothing: the source check (twins.ts)
 * on every form a submission could use, then lesson 05 graded through the real CLI with a
 * submission that wraps the library's splitHeads and one that re-exports its mergeHeads (the rest
 * of each is the reference).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { delegations, lessonTwins, libraryUses } from "../harness/twins.ts";
import { ROOT, pooled, runCli, type CliRun } from "./helpers/cli.ts";

const uses = (source: string) => {
  const u = libraryUses(source, "05-gpt.ts", "sub/05-gpt.ts");
  return { names: [...u.names.keys()].sort(), any: u.any?.why ?? null };
};

describe("the source check finds every way to reach a library twin", () => {
  test("named, aliased, namespace, default and string-keyed uses name their export", () => {
    expect(uses('import { splitHeads as mine, tf } from "@course/lib";\nexport const f = (x) => mine(x, 2);').names).toEqual(["splitHeads", "tf"]);
    expect(uses('import * as lib from "@course/lib";\nexport function splitHeads(x, h) { return lib.splitHeads(x, h); }').names).toEqual(["splitHeads"]);
    expect(uses('import lib from "@course/lib";\nconst g = lib["mergeHeads"];').names).toEqual(["mergeHeads"]);
    expect(uses('import L = require("@course/lib");\nconst g = L.mergeHeads;').names).toEqual(["mergeHeads"]);
    expect(uses('export { mergeHeads } from "@course/lib";').names).toEqual(["mergeHeads"]);
    expect(uses('export { gptBlock as blockForward } from "@course/lib/dist/lm/gpt-layers.js";').names).toEqual(["gptBlock"]);
  });

  test("type-only uses are nothing; uses that could reach any export are caught as such", () => {
    expect(uses('import type { GptBlockParams } from "@course/lib";\nimport * as lib from "@course/lib";\nlet p: lib.GptBlockParams;'))
      .toEqual({ names: [], any: null });
    expect(uses('export * from "@course/lib";').any).toMatch(/re-exports the library/);
    expect(uses('import * as lib from "@course/lib";\nconst k = "split" + "Heads";\nconst f = lib[k];').any).toMatch(/namespace "lib"/);
    expect(uses('import * as lib from "@course/lib";\nconst all = { ...lib };').any).toMatch(/namespace "lib"/);
    expect(uses('const lib = require("@course/lib");').any).toMatch(/require\(\)/);
    expect(uses('const name = "@course/" + "lib";\nconst lib = require(name);').any).toMatch(/computed name/);
    expect(uses('export async function f() { return (await import("@course/lib")).splitHeads; }').any).toMatch(/import\(\)/);
  });

  test("lesson 05's twins come from its declarations, and a use refuses exactly the exercises it reaches", () => {
    const twins = lessonTwins("05");
    expect(Object.fromEntries(twins)).toEqual({
      causalAttention: ["causalAttention"], splitHeads: ["splitHeads"], mergeHeads: ["mergeHeads"], blockForward: ["gptBlock"],
    });
    const named = delegations(twins, libraryUses('import { gptBlock, layerNorm } from "@course/lib";', "a.ts", "sub/05-gpt.ts"), "sub/05-gpt.ts");
    expect(Object.keys(named)).toEqual(["blockForward"]);
    expect(named.blockForward).toMatch(/blockForward is an exercise, and sub\/05-gpt\.ts uses the library's own gptBlock \(at sub\/05-gpt\.ts:1:10\)/);
    const star = delegations(twins, libraryUses('export * from "@course/lib";', "a.ts", "sub/05-gpt.ts"), "sub/05-gpt.ts");
    expect(Object.keys(star).sort()).toEqual(["blockForward", "causalAttention", "mergeHeads", "splitHeads"]);
    expect(delegations(twins, libraryUses('import { tf, layerNorm } from "@course/lib";', "a.ts", "x"), "x")).toEqual({});
  });
});

let scratch: string;
const runs: Record<string, CliRun> = {};

/** The reference of lesson 05 with one function's body or definition replaced. */
function variant(name: string, edit: (source: string) => string): string {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "05-gpt.ts"), edit(readFileSync(join(ROOT, "solutions", "05-gpt.ts"), "utf8")));
  return dir;
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "grade-delegation-"));
  const wrap = variant("wrap", (s) =>
    `import * as lib from "@course/lib";\n${s.replace(/(export function splitHeads[^{]*\{)[\s\S]*?\n\}/, "$1\n  return lib.splitHeads(x, heads);\n}")}`);
  const reExport = variant("re-export", (s) =>
    `${s.replace(/export function mergeHeads[^{]*\{[\s\S]*?\n\}/, 'export { mergeHeads } from "@course/lib";')}`);
  const base = ["--solutions", join(ROOT, "solutions"), "--tests", join(ROOT, "grader", "tests"), "05.heads", "05.attention"];
  const plan: Record<string, string> = { wrap, "re-export": reExport };
  const names = Object.keys(plan);
  const done = await pooled(names.map((n) => () => runCli([...base, "--target", plan[n] as string], join(scratch, "reports", n, "grade-report.json"))), 2);
  names.forEach((n, i) => (runs[n] = done[i] as CliRun));
}, 400_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const status = (run: CliRun, id: string) => run.report.tests.filter((t) => t.id === id).map((t) => t.status);

describe("lesson 05 graded with a submission that delegates to the library", () => {
  test("wrapping lib.splitHeads, or re-exporting the library's mergeHeads, earns nothing for 05.heads, and says why", () => {
    for (const [name, fn] of [["wrap", "splitHeads"], ["re-export", "mergeHeads"]] as const) {
      const r = runs[name] as CliRun;
      expect(status(r, "05.heads").length, name).toBeGreaterThan(0);
      expect(status(r, "05.heads").every((s) => s === "failed"), name).toBe(true);
      for (const t of r.report.tests.filter((e) => e.id === "05.heads")) {
        expect(t.message, name).toMatch(new RegExp(`${fn} is an exercise, and \\S*${name}/05-gpt\\.ts uses the library's own ${fn} \\(at \\S*05-gpt\\.ts:\\d+:\\d+\\)`));
        expect(t.message, name).toContain(`Write ${fn} yourself`);
      }
      // The other exercise of the file keeps its points (the references' own score: lessons.test.ts).
      expect(status(r, "05.attention").length, name).toBeGreaterThan(0);
      expect(status(r, "05.attention").every((s) => s === "passed"), name).toBe(true);
    }
  });
});
