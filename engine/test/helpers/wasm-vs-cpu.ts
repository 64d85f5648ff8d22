/**
 * Comparing the wasm backend with the cpu backend (the reference): the same function on the same
 * seeded data on both, forward values and gradients, as one relative error.
 */
import { afterAll, afterEach, beforeAll } from "vitest";
import { fusedWasmActive, setWasmSpeedups } from "@course/engine";
import { Rng, setup, tf } from "@course/lib";

/**
 * For a test file of the wasm speed work: start on wasm with all of it on, the GENAI_WASM_SPEEDUPS
 * and GENAI_WASM_FUSED* switches cleared (the tests switch kernels with setWasmSpeedups or set a
 * switch themselves), and put the speed work, the backend and the switches back after each test
 * and at the end.
 */
export function useFusedWasm(): void {
  const names = ["GENAI_WASM_SPEEDUPS", "GENAI_WASM_FUSED", "GENAI_WASM_FUSED_NORM"];
  const saved = new Map<string, string | undefined>();
  beforeAll(async () => {
    for (const n of names) {
      saved.set(n, process.env[n]);
      delete process.env[n];
    }
    await setup({ backend: "wasm", quiet: true });
    setWasmSpeedups(true);
  });
  afterEach(async () => {
    setWasmSpeedups(true);
    await tf.setBackend("wasm");
  });
  afterAll(() => {
    setWasmSpeedups(true);
    for (const [n, v] of saved) if (v !== undefined) process.env[n] = v;
  });
}

export type Fn = (...inputs: tf.Tensor[]) => tf.Tensor;

/**
 * `fused` where the seam (lib/src/seam.ts) would run it — the wasm backend with its fused kernels
 * on, GENAI_WASM_FUSED ≠ 0 — and `plain` everywhere else, as the seam does.
 */
export function whenFused<A extends unknown[], R>(fused: (...args: A) => R, plain: (...args: A) => R): (...args: A) => R {
  return (...args) => (fusedWasmActive() ? fused(...args) : plain(...args));
}

/** max |a − b| / max |b|: one number per tensor, insensitive to its scale. */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0, scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs((a[i] as number) - (b[i] as number)));
    scale = Math.max(scale, Math.abs(b[i] as number));
  }
  return diff / Math.max(scale, 1e-12);
}

export function randomData(shapes: number[][], seed: number): Float32Array[] {
  const r = new Rng(seed);
  return shapes.map((s) => Float32Array.from({ length: tf.util.sizeFromShape(s) }, () => r.normal()));
}

/** f's output and, unless `forwardOnly`, the gradients of Σ f(inputs)·cos(0, 1, 2…). */
export function outputAndGrads(f: Fn, shapes: number[][], data: Float32Array[], forwardOnly = false): Float32Array[] {
  return tf.tidy(() => {
    const inputs = shapes.map((s, i) => tf.tensor(data[i] as Float32Array, s));
    const loss = (...xs: tf.Tensor[]) => {
      const y = f(...xs);
      return tf.sum(tf.mul(y, tf.cos(tf.reshape(tf.range(0, y.size), y.shape))));
    };
    const grads = forwardOnly ? [] : tf.grads(loss)(inputs);
    return [f(...inputs), ...grads].map((t) => t.dataSync() as Float32Array);
  });
}

/** The worst relative error, over output and gradients, of wasm against cpu. */
export async function wasmVsCpu(f: Fn, shapes: number[][], forwardOnly = false): Promise<number> {
  const data = randomData(shapes, 1);
  await tf.setBackend("cpu");
  const want = outputAndGrads(f, shapes, data, forwardOnly);
  await tf.setBackend("wasm");
  const got = outputAndGrads(f, shapes, data, forwardOnly);
  return Math.max(...want.map((w, i) => relErr(got[i] as Float32Array, w)));
}
