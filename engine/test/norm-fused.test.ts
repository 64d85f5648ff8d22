/**
 * The fused norms (engine/src/fused/norm.ts, engine/src/wasmNorm.ts) against the plain ones of the
 * library (nn/norm.ts): values and gradients (x, gain, shift) on wasm (fused) against cpu, against
 * the plain ones on wasm with the speed work on and off, GENAI_WASM_FUSED=0, odd shapes, the
 * layers of layers.ts, fewer kernels, no leaked tensors. The fused norms run as models run them,
 * through the library's seam (fused where they apply, plain elsewhere).
 */
import { describe, expect, it } from "vitest";
import { fusedNormActive, setWasmSpeedups } from "@course/engine";
import {
  Params, Rng, batchNorm, groupNorm, groupNormSilu, normalizeBatch as composedBatchNorm,
  normalizeGroups as composedGroupNorm, seam, silu as composedSilu, tf,
} from "@course/lib";
import { outputAndGrads, randomData, relErr, wasmVsCpu, type Fn, useFusedWasm } from "./helpers/wasm-vs-cpu.ts";

const TOLERANCE = 1e-4;
type T = tf.Tensor;
type T1 = tf.Tensor1D;
type T4 = tf.Tensor4D;

const fusedGroupNorm = (x: T4, g: T1, b: T1, groups: number, silu = false): T4 =>
  (silu ? seam.groupNormSilu : seam.groupNorm)(x, g, b, groups);
const fusedBatchNorm = <X extends T>(x: X, g: T1, b: T1): X => seam.batchNorm(x, g, b);
const gn = (groups: number, silu: boolean): [Fn, Fn] => [
  (x: T, g: T, b: T) => fusedGroupNorm(x as T4, g as T1, b as T1, groups, silu),
  (x: T, g: T, b: T) => {
    const y = composedGroupNorm(x as T4, g as T1, b as T1, groups);
    return silu ? composedSilu(y) : y;
  },
];
const bn: [Fn, Fn] = [(x: T, g: T, b: T) => fusedBatchNorm(x, g as T1, b as T1), (x: T, g: T, b: T) => composedBatchNorm(x, g as T1, b as T1)];
const affine = (s: number[]) => [s, [s[s.length - 1]!], [s[s.length - 1]!]];

/** Worst relative error of f against g, both on the current backend. */
function sameAs(f: Fn, g: Fn, shapes: number[][]): number {
  const data = randomData(shapes, 5);
  const got = outputAndGrads(f, shapes, data);
  const want = outputAndGrads(g, shapes, data);
  return Math.max(...want.map((w, i) => relErr(got[i] as Float32Array, w)));
}

const GROUP_CASES: Array<[number[], number]> = [[[3, 5, 7, 12], 4], [[2, 4, 4, 8], 8], [[1, 1, 1, 3], 1], [[2, 3, 2, 6], 3]];
const BATCH_CASES = [[2, 3, 3, 6], [7, 5], [2, 3, 4], [1, 1, 1, 4]];

useFusedWasm();

describe("fused norms on wasm equal the compositions on cpu (values and gradients)", () => {
  it.each(GROUP_CASES)("group norm %j, %i groups, with and without SiLU", async (s, groups) => {
    expect(await wasmVsCpu(gn(groups, false)[0], affine(s))).toBeLessThanOrEqual(TOLERANCE);
    expect(await wasmVsCpu(gn(groups, true)[0], affine(s))).toBeLessThanOrEqual(TOLERANCE);
  });
  it.each(BATCH_CASES.map((s) => [s]))("batch norm %j", async (s) => {
    expect(await wasmVsCpu(bn[0], affine(s))).toBeLessThanOrEqual(TOLERANCE);
  });
  it("inputs far from zero (mean 1000, std 0.01): float64 statistics, unlike float32 moments", () => {
    const shape: [number, number, number, number] = [2, 3, 3, 8], G = 2, Cg = 4, HW = 9;
    const d = randomData([shape], 3)[0]!.map((v) => 1000 + 0.01 * v);
    const ref = new Float64Array(d.length); // group norm in float64 of the same float32 inputs
    for (let k = 0; k < 2 * G; k++) {
      const idx = Array.from({ length: HW * Cg }, (_, j) => Math.floor(k / G) * HW * 8 + Math.floor(j / Cg) * 8 + (k % G) * Cg + (j % Cg));
      const m = idx.reduce((a, i) => a + d[i]!, 0) / idx.length;
      const v = idx.reduce((a, i) => a + (d[i]! - m) ** 2, 0) / idx.length;
      for (const i of idx) ref[i] = (d[i]! - m) / Math.sqrt(v + 1e-5);
    }
    const [fused, composed] = tf.tidy(() => {
      const x = tf.tensor4d(d, shape), g = tf.ones([8]) as T1, b = tf.zeros([8]) as T1;
      return [fusedGroupNorm(x, g, b, G).dataSync(), composedGroupNorm(x, g, b, G).dataSync()];
    });
    expect(relErr(fused, ref)).toBeLessThanOrEqual(1e-6);
    expect(relErr(composed, ref)).toBeGreaterThan(1e-4); // so the check above means something
  });
});

describe("on wasm itself", () => {
  it.each([true, false])("fused equal composed with the speed work %s, no leaks", (on) => {
    setWasmSpeedups(on);
    expect(fusedNormActive()).toBe(on);
    sameAs(...gn(4, true), affine([3, 5, 7, 12])); // first use may set up caches
    const before = [tf.memory().numTensors, tf.backend().numDataIds()]; // the SIMD sums' scratch included
    for (const [s, groups] of GROUP_CASES) {
      expect(sameAs(...gn(groups, false), affine(s))).toBeLessThanOrEqual(TOLERANCE);
      expect(sameAs(...gn(groups, true), affine(s))).toBeLessThanOrEqual(TOLERANCE);
    }
    for (const s of BATCH_CASES) expect(sameAs(...bn, affine(s))).toBeLessThanOrEqual(TOLERANCE);
    expect([tf.memory().numTensors, tf.backend().numDataIds()]).toEqual(before);
  });

  it.each(["GENAI_WASM_FUSED", "GENAI_WASM_FUSED_NORM"])("%s=0 switches to the compositions", (name) => {
    process.env[name] = "0";
    try {
      expect(fusedNormActive()).toBe(false);
      expect(sameAs(...gn(4, true), affine([3, 5, 7, 12]))).toBe(0);
      expect(sameAs(...bn, affine([2, 3, 3, 6]))).toBe(0);
    } finally {
      delete process.env[name];
    }
  });

  it("the fused group norm + SiLU's gradient runs far fewer kernels", async () => {
    const shapes = affine([2, 4, 4, 8]);
    const inputs = shapes.map((s, i) => tf.tensor(randomData([s], i)[0] as Float32Array, s));
    const count = async (f: Fn) => {
      const info = await tf.profile(() => tf.grads((...ts: tf.Tensor[]) => tf.sum(f(...ts)))(inputs));
      tf.dispose(info.result as tf.Tensor[]);
      return info.kernels.length;
    };
    const [fused, plain] = [await count(gn(2, true)[0]), await count(gn(2, true)[1])];
    expect(fused).toBeLessThan(plain * 0.4); // 33 against 94
    tf.dispose(inputs);
  });
});

describe("layers (layers.ts, groupNormSilu)", () => {
  it("groupNorm, groupNormSilu and batchNorm layers give cpu's values and gradients on wasm", async () => {
    const layers = (p: Params) => {
      const g = groupNorm(p, "gn", 4, 12), gs = groupNormSilu(p, "gns", 4, 12), b = batchNorm<T4>(p, "bn", 12);
      return (x: T) => b(gs(g(x as T4)));
    };
    const run = async (backend: string) => {
      await tf.setBackend(backend);
      const before = tf.memory().numTensors;
      const p = new Params(new Rng(2));
      const f = layers(p);
      tf.tidy(() => p.vars.forEach((v, i) => v.assign(tf.randomNormal(v.shape, i % 2 ? 0 : 1, 0.5, "float32", i + 1))));
      const out = tf.tidy(() => {
        const x = tf.tensor(randomData([[3, 5, 7, 12]], 9)[0] as Float32Array, [3, 5, 7, 12]);
        const { grads } = tf.variableGrads(() => tf.sum(tf.mul(f(x), tf.cos(tf.reshape(tf.range(0, x.size), x.shape)))));
        return [f(x), ...p.vars.map((v) => grads[v.name]!)].map((t) => t.dataSync() as Float32Array);
      });
      p.dispose();
      expect(tf.memory().numTensors).toBe(before);
      return out;
    };
    const want = await run("cpu");
    const got = await run("wasm");
    expect(fusedNormActive()).toBe(true);
    expect(want).toHaveLength(7);
    expect(Math.max(...want.map((w, i) => relErr(got[i] as Float32Array, w)))).toBeLessThanOrEqual(TOLERANCE);
  });

  it("a group count that does not divide the channels says so", () => {
    const x = tf.zeros([1, 2, 2, 6]) as T4, g = tf.ones([6]) as T1, b = tf.zeros([6]) as T1;
    expect(() => fusedGroupNorm(x, g, b, 4)).toThrow(/6 channels do not split into 4 groups/);
    const g5 = g.slice(0, 5) as T1;
    expect(() => fusedGroupNorm(x, g5, b, 3)).toThrow(/group norm gain/);
    tf.dispose([x, g, b, g5]);
  });
});
