/**
 * The threaded wasm backend (engine/src/wasmThreads.ts), asked for with GENAI_WASM_THREADS=2: it
 * starts in Node, says so in setup()'s banner, gives the cpu backend's answers (forward and
 * gradients, relative error ≤ 1e-4) for the kernels that XNNPACK parallelises, leaks nothing,
 * and does not keep Node alive (the test process exits). Only kernels of at least GATE_MIN_FLOP
 * get the threads (wasmThreadGate.ts); the cases include kernels on both sides of that line.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GATE_MIN_FLOP, gemmHelpersReady, kernelFlop, threadGateActive } from "@course/engine";
import { Rng, setup, tf } from "@course/lib";

type T4 = tf.Tensor4D;
type Fn = (...inputs: tf.Tensor[]) => tf.Tensor;
const TOLERANCE = 1e-4;

function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0, scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs((a[i] as number) - (b[i] as number)));
    scale = Math.max(scale, Math.abs(b[i] as number));
  }
  return diff / Math.max(scale, 1e-12);
}

/** f's output and the gradients of Σ f(inputs)·cos(0, 1, 2…), as arrays. */
function outputAndGrads(f: Fn, shapes: number[][], seed: number): Float32Array[] {
  const r = new Rng(seed);
  const data = shapes.map((s) => Float32Array.from({ length: tf.util.sizeFromShape(s) }, () => r.normal()));
  return tf.tidy(() => {
    const inputs = shapes.map((s, i) => tf.tensor(data[i] as Float32Array, s));
    const loss = (...xs: tf.Tensor[]) => {
      const y = f(...xs);
      return tf.sum(tf.mul(y, tf.cos(tf.reshape(tf.range(0, y.size), y.shape))));
    };
    return [f(...inputs), ...tf.grads(loss)(inputs)].map((t) => t.dataSync() as Float32Array);
  });
}

/** f's output on [3, 20, 80] and [80, 128] inputs from a fixed seed. */
function outputsOnly(f: Fn): Float32Array {
  const r = new Rng(5);
  const make = (shape: number[]) => tf.tensor(Float32Array.from({ length: tf.util.sizeFromShape(shape) }, () => r.normal()), shape);
  return tf.tidy(() => f(make([3, 20, 80]), make([80, 128])).dataSync() as Float32Array);
}

async function wasmVsCpu(f: Fn, shapes: number[][]): Promise<number> {
  await tf.setBackend("cpu");
  const want = outputAndGrads(f, shapes, 1);
  await tf.setBackend("wasm");
  const got = outputAndGrads(f, shapes, 1);
  return Math.max(...want.map((w, i) => relErr(got[i] as Float32Array, w)));
}

let asked: string | undefined;
let device = "";

beforeAll(async () => {
  asked = process.env.GENAI_WASM_THREADS;
  process.env.GENAI_WASM_THREADS = "2";
  delete process.env.GENAI_WASM_SPEEDUPS;
  device = (await setup({ backend: "wasm", quiet: true })).device;
});

afterAll(() => {
  if (asked === undefined) delete process.env.GENAI_WASM_THREADS;
  else process.env.GENAI_WASM_THREADS = asked;
});

describe("wasm with 2 threads", () => {
  it("starts threaded and says so", () => {
    expect(device).toMatch(/XNNPACK, SIMD, 2 threads$/);
  });

  const cases: Array<[string, Fn, number[][]]> = [
    ["matMul, large enough to split (97×131 · 131×75)", (a, b) => tf.matMul(a as tf.Tensor, b as tf.Tensor), [[97, 131], [131, 75]]],
    ["batched, transposed matMul", (a, b) => tf.matMul(a as tf.Tensor, b as tf.Tensor, false, true), [[4, 33, 20], [4, 17, 20]]],
    ["conv2d, stride 2, same", (x, w) => tf.conv2d(x as T4, w as T4, 2, "same"), [[4, 15, 13, 6], [3, 3, 6, 16]]],
    ["conv2dTranspose 5×5, stride 2", (x, w) => tf.conv2dTranspose(x as T4, w as T4, [3, 14, 14, 8], 2, "same"), [[3, 7, 7, 12], [5, 5, 8, 12]]],
    ["maxPool 3×3 / 2", (x) => tf.maxPool(x as T4, 3, 2, "same"), [[3, 11, 9, 8]]],
    ["sigmoid and a broadcast add", (x, b) => tf.sigmoid(tf.add(x as tf.Tensor, b as tf.Tensor)), [[64, 257], [257]]],
    // above the gate's threshold, so these run on the pool (the ones above run on one thread)
    ["conv2d 3×3, 17 MFLOP, and its gradients", (x, w) => tf.conv2d(x as T4, w as T4, 1, "same"), [[4, 20, 20, 24], [3, 3, 24, 24]]],
    ["matMul 12 MFLOP, transposed", (a, b) => tf.matMul(a as tf.Tensor, b as tf.Tensor, true, false), [[200, 150], [200, 201]]],
  ];
  it.each(cases)("%s matches cpu (output and gradients)", async (_, f, shapes) => {
    expect(await wasmVsCpu(f, shapes)).toBeLessThanOrEqual(TOLERANCE);
  });

  it("lends the pool to large kernels only", () => {
    expect(threadGateActive()).toBe(true);
    const big = kernelFlop("Conv2D", { x: { shape: [4, 20, 20, 24] }, filter: { shape: [3, 3, 24, 24] } } as never, { strides: [1, 1] });
    expect(big).toBe(2 * 4 * 20 * 20 * 9 * 24 * 24);
    expect(big).toBeGreaterThanOrEqual(GATE_MIN_FLOP);
    const small = kernelFlop("BatchMatMul", { a: { shape: [16, 128] }, b: { shape: [128, 512] } } as never, {});
    expect(small).toBe(2 * 16 * 128 * 512);
    expect(small).toBeLessThan(GATE_MIN_FLOP);
    expect(kernelFlop("Add", { a: { shape: [1000, 1000] } } as never, {})).toBe(0);
    // attention's batched products are 48 small products, not one large one
    const att = kernelFlop("BatchMatMul", { a: { shape: [12, 4, 64, 64] }, b: { shape: [12, 4, 64, 32] } } as never, {});
    expect(att).toBe(2 * 64 * 64 * 32);
    // a weight shared by the batch: one product of all rows
    expect(kernelFlop("BatchMatMul", { a: { shape: [12, 64, 128] }, b: { shape: [128, 512] } } as never, {})).toBe(2 * 12 * 64 * 128 * 512);
    // the fused LSTM layer: one time step's product [B, H]·[H, 4H]
    expect(kernelFlop("CourseLstmForward", { xz: { shape: [64, 32, 1024] }, Wh: { shape: [256, 1024] } } as never, {})).toBe(2 * 64 * 256 * 1024);
  });

  it("leaks no tensors and no wasm memory", async () => {
    await tf.setBackend("wasm");
    const run = () => { for (const [, f, shapes] of cases) outputAndGrads(f, shapes, 2); };
    run();
    const tensors = tf.memory().numTensors;
    const blocks = tf.backend().numDataIds();
    run();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.backend().numDataIds()).toBe(blocks);
  });
});

describe("the course's products shared with a helper thread (wasmGemmThreads.ts)", () => {
  beforeAll(async () => {
    await tf.setBackend("wasm");
    // The helper starts on first use and takes blocks once it has loaded.
    for (let i = 0; i < 500 && gemmHelpersReady() === 0; i++) await new Promise((r) => setTimeout(r, 10));
  });

  it("has threads − 1 = 1 helper", () => {
    expect(gemmHelpersReady()).toBe(1);
  });

  // rows a multiple of 4 and at least two blocks of 2^18 multiply-adds: the split path
  const split: Array<[string, Fn, number[][]]> = [
    ["100×90 · 90×120: four blocks, the last one shorter", (a, b) => tf.matMul(a as tf.Tensor, b as tf.Tensor), [[100, 90], [90, 120]]],
    ["aᵀ·b, 64 rows in two blocks", (a, b) => tf.matMul(a as tf.Tensor, b as tf.Tensor, true, false), [[120, 64], [120, 72]]],
    ["conv2d 3×3, 36 → 24 channels: the filter gradient's products (convFilterGradTaps.ts)", (x, w) => tf.conv2d(x as T4, w as T4, 1, "same"), [[4, 20, 20, 36], [3, 3, 36, 24]]],
    ["a·bᵀ with a 5-column tail", (a, b) => tf.matMul(a as tf.Tensor, b as tf.Tensor, false, true), [[96, 70], [45, 70]]],
  ];
  it.each(split)("%s matches cpu (output and gradients)", async (_, f, shapes) => {
    expect(await wasmVsCpu(f, shapes)).toBeLessThanOrEqual(TOLERANCE);
  });

  it("a batch over a shared b (60 rows) matches cpu (forward: tfjs has no gradient for it)", async () => {
    const f: Fn = (a, b) => tf.matMul(a as tf.Tensor, b as tf.Tensor);
    await tf.setBackend("cpu");
    const want = outputsOnly(f);
    await tf.setBackend("wasm");
    expect(relErr(outputsOnly(f), want)).toBeLessThanOrEqual(TOLERANCE);
  });

  it("gives the same bits on every one of 300 products in a row, of changing shapes", () => {
    const r = new Rng(3);
    const make = (shape: number[]) => tf.tensor(Float32Array.from({ length: tf.util.sizeFromShape(shape) }, () => r.normal()), shape);
    const pairs = [[make([100, 90]), make([90, 120])], [make([64, 256]), make([256, 96])], [make([8, 40]), make([40, 16])]];
    const first = pairs.map(([a, b]) => tf.tidy(() => tf.matMul(a!, b!).dataSync()));
    let differing = 0;
    for (let i = 0; i < 300; i++) {
      const j = i % pairs.length;
      const [a, b] = pairs[j]!;
      const got = tf.tidy(() => tf.matMul(a!, b!).dataSync());
      if (got.some((v, q) => v !== first[j]![q])) differing++;
    }
    tf.dispose(pairs.flat());
    expect(differing).toBe(0);
  });
});
