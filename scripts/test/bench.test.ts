import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");

interface ModelRow {
  tfjs_ms: Record<string, number | null>;
  pytorch_ms: number | null;
  pytorch_tuned_ms: number | null;
  parameters: { tfjs: number | null; pytorch: number | null };
  speedup_vs_pytorch: number | null;
}

interface BenchJson {
  machine: Record<string, unknown>;
  models: Record<string, ModelRow>;
  geomean_speedup_vs_pytorch: number | null;
  errors?: string[];
}

const positive = (x: unknown): boolean => typeof x === "number" && Number.isFinite(x) && x > 0;

// Shape and sanity only: timings on a shared machine say nothing in a test.
describe("npm run bench", () => {
  it("times two lessons' models on wasm (--smoke) and writes the documented JSON", () => {
    const dir = mkdtempSync(join(tmpdir(), "bench-test-"));
    try {
      const json = join(dir, "bench.json");
      const args = ["bench/bench.ts", "--models", "vae,classifier", "--backend", "wasm", "--smoke", "--json", json];
      execFileSync(process.execPath, [join(root, "node_modules/tsx/dist/cli.mjs"), ...args], { cwd: root, stdio: "pipe" });
      const out = JSON.parse(readFileSync(json, "utf8")) as BenchJson;

      expect(out.errors).toBeUndefined();
      expect(Object.keys(out).sort()).toEqual(["geomean_speedup_vs_pytorch", "machine", "models"]);
      for (const key of ["cpu", "cores", "node", "tfjs", "torch", "load_average", "backends", "command"]) {
        expect(out.machine).toHaveProperty(key);
      }
      expect(out.machine.tfjs).toBe("4.22.0");
      expect((out.machine.load_average as number[]).length).toBe(3);
      expect(Object.keys(out.models)).toEqual(["vae", "classifier"]);

      const torch = out.machine.torch !== null;
      for (const row of Object.values(out.models)) {
        expect(Object.keys(row).sort()).toEqual(["parameters", "pytorch_ms", "pytorch_tuned_ms", "speedup_vs_pytorch", "tfjs_ms"]);
        expect(Object.keys(row.tfjs_ms)).toEqual(["wasm"]);
        expect(positive(row.tfjs_ms.wasm)).toBe(true);
        expect(positive(row.parameters.tfjs)).toBe(true);
        if (torch) {
          expect(positive(row.pytorch_ms) && positive(row.pytorch_tuned_ms)).toBe(true);
          // the PyTorch twin mirrors the lesson's model: the same number of trained values
          expect(row.parameters.pytorch).toBe(row.parameters.tfjs);
          const faster = Math.min(row.pytorch_ms!, row.pytorch_tuned_ms!);
          expect(row.speedup_vs_pytorch).toBeCloseTo(faster / row.tfjs_ms.wasm!, 2);
        } else {
          expect([row.pytorch_ms, row.pytorch_tuned_ms, row.speedup_vs_pytorch]).toEqual([null, null, null]);
        }
      }
      if (torch) expect(positive(out.geomean_speedup_vs_pytorch)).toBe(true);
      else expect(out.geomean_speedup_vs_pytorch).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000); // three processes (wasm, PyTorch twice) building the lessons' full-size models

  it("rejects an unknown model or backend with a usage message", () => {
    const run = (args: string[]) =>
      execFileSync(process.execPath, [join(root, "node_modules/tsx/dist/cli.mjs"), "bench/bench.ts", ...args], { cwd: root, stdio: "pipe" });
    expect(() => run(["--models", "resnet"])).toThrow(/unknown model: resnet/);
    expect(() => run(["--backend", "metal"])).toThrow(/unknown backend: metal/);
  });
});
