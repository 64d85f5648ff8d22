// In a real notebook (Jupyter + the course's tslab kernel): an error thrown at line N of an
// exercise file shows line N and the course's message without the kernel's frames; an edited
// exercise file is picked up without re-running the `lesson()` cell; `lesson("01")` is typed.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT, aptInstallCommand, findJupyter, jupyterEnv, registerKernel } from "../jupyter.mjs";

const dir = join(ROOT, "out", `lesson-errors-${process.pid}`);
afterAll(() => { if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true }); });
const nbconvert = findJupyter(["nbconvert"]);

/** A notebook of code cells, run top to bottom with errors allowed; returns each cell's text output. */
function runCells(cells: string[]): string[] {
  const nb = {
    cells: cells.map((source) => ({ cell_type: "code", metadata: {}, outputs: [], execution_count: null, source })),
    metadata: { kernelspec: { name: "tslab", display_name: "TypeScript (course)", language: "typescript" } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  writeFileSync(join(dir, "t.ipynb"), JSON.stringify(nb));
  registerKernel();
  const argv = nbconvert!.argv;
  const r = spawnSync(argv[0]!, [...argv.slice(1), "--to", "notebook", "--execute", "--allow-errors",
    "--ExecutePreprocessor.timeout=300", "--output", "t.out", "t.ipynb"], { cwd: dir, env: jupyterEnv(), encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  const out = JSON.parse(readFileSync(join(dir, "t.out.ipynb"), "utf8")) as { cells: { outputs: { text?: string[] | string }[] }[] };
  return out.cells.map((c) => c.outputs.map((o) => (Array.isArray(o.text) ? o.text.join("") : (o.text ?? ""))).join(""));
}

describe("lesson() in a notebook", () => {
  it("shows the learner's line, reloads an edited file, and is typed", (ctx) => {
    if (!nbconvert) ctx.skip(`Jupyter's nbconvert is not installed (${aptInstallCommand()})`);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, "01-bigram.ts");
    copyFileSync(join(ROOT, "exercises", "01-bigram.ts"), file);
    const stubLine = readFileSync(file, "utf8").split("\n").findIndex((l) => l.includes('NotImplementedError("01.bigram-counts"')) + 1;
    const edited = readFileSync(file, "utf8").replace(/^.*NotImplementedError\("01\.bigram-counts".*$/m,
      '  if (words.length > 0) return tf.zeros([vocab.size, vocab.size], "int32") as tf.Tensor2D;\n  throw new Error("no words given");');
    const thrownLine = edited.split("\n").findIndex((l) => l.includes('"no words given"')) + 1;
    // tslab drops the cells sent within 200 ms of a failed one, so only the last cell fails
    // uncaught; the others print the error as tslab does (console.error).
    const shown = (call: string): string => `try { ${call}; } catch (e) { console.error(e); }`;
    const outputs = runCells([
      `import { lesson, CharVocab } from "@course/lib";\nimport { writeFileSync } from "node:fs";\nconst ex = lesson("01", { target: ${JSON.stringify(dir)} });\nconst vocab = CharVocab.fromWords(["ab"]);`,
      shown(`ex.bigramCounts(["ab"], vocab)`),
      `// @ts-expect-error: lesson("01") is typed, and bigramCounts is a function\nconst notANumber: number = ex.bigramCounts;\nconsole.log("typed");`,
      `writeFileSync(${JSON.stringify(file)}, ${JSON.stringify(edited)});\nconsole.log(ex.bigramCounts(["ab"], vocab).shape.join("x"));`,
      `ex.bigramCounts([], vocab);`,
    ]);
    const rel = `out/lesson-errors-${process.pid}/01-bigram.ts`;
    expect(outputs[1]).toContain("not implemented: exercise 01.bigram-counts (bigramCounts) is still a stub.");
    expect(outputs[1]).toContain(`${rel}:${stubLine}:`);
    expect(outputs[1]).not.toMatch(/node:internal|node_modules|evalmachine|exercise: '/);
    expect(outputs[2]).toBe("typed\n");
    expect(outputs[3]).toContain("reloaded");
    expect(outputs[3]).toContain("3x3");
    expect(outputs[4]).toContain("Error: no words given");
    expect(outputs[4]).toContain(`${rel}:${thrownLine}:`);
    expect(outputs[4]).not.toMatch(/node:internal|node_modules|evalmachine/);
  }, 300_000); // a kernel start and five cells: slow on a loaded machine
});
