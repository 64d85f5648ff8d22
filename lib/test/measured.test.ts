import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { measured } from "@course/lib";

const dir = mkdtempSync(join(tmpdir(), "measured-"));
function report(content: unknown): string {
  const file = join(dir, `q${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
}
const sample = {
  mode: "full",
  machine: { cpus: 2, cpu: "AMD EPYC", memory_gib: 24, node: "v20.20.2" },
  lessons: { "05": { metrics: { val_loss: 1.885, steps: 900 }, seconds: 238.5 } },
};

describe("measured", () => {
  it("reads one lesson's metrics, its time and the machine", () => {
    const m = measured("05", report(sample));
    expect(m.get("val_loss")).toBe(1.885);
    expect(m.metrics.steps).toBe(900);
    expect(m.seconds).toBe(238.5);
    expect(m.machine).toBe("2 CPUs (AMD EPYC), 24 GiB, Node v20.20.2");
  });

  it("says which lessons and metrics exist when one is missing", () => {
    const file = report(sample);
    expect(() => measured("07", file)).toThrow(/no measurement of lesson "07" \(it has: 05\).*npm run quality -- 07/);
    expect(() => measured("05", file).get("fid")).toThrow(/no metric "fid". It has: val_loss, steps/);
  });

  it("refuses a smoke-mode report, a missing file and broken JSON", () => {
    expect(() => measured("05", report({ ...sample, mode: "smoke" }))).toThrow(/smoke-mode run/);
    expect(() => measured("05", join(dir, "absent.json"))).toThrow(/quality report is missing/);
    expect(() => measured("05", report("{ not json"))).toThrow(/not valid JSON/);
  });

  it("reads the committed docs/quality.json by default", () => {
    expect(measured("01").get("val_nll")).toBeGreaterThan(0);
  });
});
