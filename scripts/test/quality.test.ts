import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");

describe("npm run quality", () => {
  it("writes the documented JSON, and lesson 01 meets its bar (tensor NLL = exact counts ± 0.01)", () => {
    const json = join(mkdtempSync(join(tmpdir(), "quality-")), "q.json");
    execFileSync(process.execPath, [join(root, "node_modules/tsx/dist/cli.mjs"), "scripts/quality.ts", "00", "01", "--smoke", "--json", json], { cwd: root, stdio: "pipe" });
    const out = JSON.parse(readFileSync(json, "utf8")) as { lessons: Record<string, { metrics: Record<string, number>; seconds: number }> };
    expect(Object.keys(out.lessons)).toEqual(["00", "01"]);
    const bigram = out.lessons["01"]!;
    expect(bigram.seconds).toBeGreaterThan(0);
    expect(bigram.metrics.val_nll_gap).toBeLessThanOrEqual(0.01);
    expect(bigram.metrics.val_nll).toBeLessThan(Math.log(27)); // better than guessing
    expect(Math.abs(out.lessons["00"]!.metrics.w! - 3)).toBeLessThan(0.1);
  });
});
