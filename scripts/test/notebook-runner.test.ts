// `npm run notebooks` runs notebooks in real Jupyter (nbconvert + the course's tslab kernel).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT, aptInstallCommand, findJupyter, kernelArgv } from "../jupyter.mjs";

const FIXTURES = join(ROOT, "scripts", "test", "fixtures");
const outDir = mkdtempSync(join(tmpdir(), "notebook-runner-"));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const NO_JUPYTER =
  "Jupyter's nbconvert is not installed here, so notebooks cannot run " +
  `(${aptInstallCommand()}; CI installs it)`;
const hasJupyter = findJupyter(["nbconvert"]) !== null;

/** Run the runner as `npm run notebooks` would, returning exit status and all output. */
function runner(args: string[], env: Record<string, string> = {}): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), "scripts/notebooks.ts", ...args], {
    cwd: ROOT,
    env: { ...process.env, INIT_CWD: ROOT, ...env },
    encoding: "utf8",
    timeout: 300_000,
  });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe("the notebook runner", () => {
  it("registers the project's own tslab, run by this Node", () => {
    const argv = kernelArgv();
    expect(argv.slice(0, 3)).toEqual([process.execPath, "--enable-source-maps", join(ROOT, "node_modules", "tslab", "bin", "tslab")]);
    expect(argv.slice(3)).toEqual(["kernel", "--config-path", "{connection_file}"]);
  });

  it("runs a notebook top to bottom in Jupyter with the solutions and smoke settings", (ctx) => {
    if (!hasJupyter) ctx.skip(NO_JUPYTER);
    const { status, output } = runner(["--smoke", `--out=${outDir}`, join(FIXTURES, "notebook-runner-ok.ipynb")]);
    expect(output).toMatch(/PASS\s+notebook-runner-ok\.ipynb\s+[\d.]+ s/);
    expect(output).toContain("1 passed, 0 failed");
    expect(status).toBe(0);

    const executed = readFileSync(join(outDir, "notebook-runner-ok.ipynb"), "utf8");
    expect(executed).toContain("smoke: true"); // @course/lib saw GENAI_SMOKE=1
    expect(executed).toContain("42\\n"); // top-level await, then the cell's value
    expect(executed).toContain('"text/html"');
    expect(executed).toContain("answer 42</b>");
    // The stored fixture is never written.
    expect(readFileSync(join(FIXTURES, "notebook-runner-ok.ipynb"), "utf8")).not.toContain("smoke: true");
  });

  it("exits 1 on a failing cell, naming the notebook, the cell and the error", (ctx) => {
    if (!hasJupyter) ctx.skip(NO_JUPYTER);
    const { status, output } = runner(["--smoke", `--out=${outDir}`, join(FIXTURES, "notebook-runner-fail.ipynb")]);
    expect(status).toBe(1);
    expect(output).toMatch(/FAIL\s+notebook-runner-fail\.ipynb/);
    expect(output).toContain("scripts/test/fixtures/notebook-runner-fail.ipynb cell 3");
    expect(output).toContain("Error: deliberate failure in the fixture");
    expect(output).not.toContain("node_modules/tslab"); // tslab's own stack frames are dropped
    expect(output).toContain("0 passed, 1 failed");
  });

  it("says how to install Jupyter when there is none, without a stack trace", () => {
    const { status, output } = runner(["--smoke", join(FIXTURES, "notebook-runner-ok.ipynb")], {
      GENAI_JUPYTER: join(outDir, "no-such-jupyter"),
    });
    expect(status).toBe(1);
    expect(output).toContain("pip install jupyterlab");
    expect(output).toContain(aptInstallCommand());
    expect(output).toContain("conda install -c conda-forge jupyterlab");
    expect(output).not.toMatch(/^\s+at /m);
  });

  it("rejects an unknown notebook id with the list of notebooks", () => {
    const { status, output } = runner(["98"]);
    expect(status).toBe(1);
    expect(output).toContain("No notebook notebooks/98-*.ipynb");
    expect(output).not.toMatch(/^\s+at /m);
  });
});
