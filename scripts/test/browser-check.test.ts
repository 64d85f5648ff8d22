// The browser check (scripts/browser-check.ts) fails a notebook whose outputs do not render.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT, findJupyter } from "../jupyter.mjs";

const dir = mkdtempSync(join(tmpdir(), "browser-check-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cell = (outputs: object[]): object => ({ cell_type: "code", metadata: {}, execution_count: 1, source: "x", outputs });
const display = (data: Record<string, string>): object => ({ output_type: "display_data", metadata: {}, data });
const notebook = (cells: object[]): string =>
  JSON.stringify({ cells, metadata: { kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" } }, nbformat: 4, nbformat_minor: 5 });

describe("the browser check", () => {
  it("passes drawn outputs and fails broken charts, right-aligned names and errors", (ctx) => {
    if (!existsSync("/usr/bin/chromium") || !findJupyter(["nbconvert"])) ctx.skip("needs Debian's chromium and nbconvert");
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="#36c"/></svg>';
    writeFileSync(join(dir, "01-good.ipynb"), notebook([cell([display({ "image/svg+xml": svg }), display({ "text/markdown": "| name | n |\n|:---|---:|\n| emma | 3 |" })])]));
    writeFileSync(join(dir, "02-bad.ipynb"), notebook([cell([
      display({ "text/html": '<div id="course-plot-x" style="height:50px"></div><script>throw new Error("chart failed")</script>' }),
      display({ "text/markdown": "| name |\n|---:|\n| emma |" }),
      { output_type: "stream", name: "stderr", text: "TypeError: f is not a function\n" },
    ])]));
    const r = spawnSync(process.execPath, [join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), "scripts/browser-check.ts", `--dir=${dir}`, `--out=${join(dir, "shots")}`], {
      cwd: ROOT, encoding: "utf8", timeout: 300_000,
    });
    const output = r.stdout + r.stderr;
    expect(output).toMatch(/PASS {2}01-good {2}0\/0 charts, 1\/1 SVG, 0\/0 PNG, 1 tables/);
    expect(output).toContain("FAIL  02-bad");
    expect(output).toContain("JavaScript error: chart failed");
    expect(output).toContain("plotly chart course-plot-x drew nothing");
    expect(output).toContain('table cell "emma" is aligned right, not left');
    expect(output).toContain("TypeError: f is not a function");
    expect(existsSync(join(dir, "shots", "01-good.png"))).toBe(true);
    expect(r.status).toBe(1);
  }, 300_000); // two nbconvert exports and a Chromium start: slow on a loaded machine
});
