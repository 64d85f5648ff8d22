/**
 * The wasm backend's speed work (engine/src/wasmSpeedups.ts) against the cpu backend (the
 * reference, running tfjs's own kernels and gradients): forward values and gradients of every
 * replaced kernel over transposes, batch shapes, strides, paddings and odd sizes, relative error
 * ≤ 1e-4; no leaked tensors or wasm heap blocks; and GENAI_WASM_SPEEDUPS=0 / setWasmSpeedups().
 * They run on whatever setup() picked for wasm, threaded or not.
 */
import { availableParallelism } from "node:os";
import { afterEach, describe, expect, it } from "vitest";
import { defaultWasmThreads, setWasmSpeedups, wasmSpeedupsEnabled } from "@course/engine";
import { Rng, setup, tf } from "@course/lib";
import { outputAndGrads, randomData, relErr, useFusedWasm, wasmVsCpu, type Fn } from "./helpers/wasm-vs-cpu.ts";

type T4 = tf.Tensor4D;
type Shape4 = [number, number, number, number];
const TOLERANCE = 1e-4;


/** How many kernels the gradient of Σ f(x) runs on the current backend. */
async function gradKernels(f: Fn, shape: number[]): Promise<number> {
  const x = tf.randomNormal(shape);
  const info = await tf.profile(() => tf.grad((t: tf.Tensor) => tf.sum(f(t)))(x));
  x.dispose();
  tf.dispose(info.result as tf.Tensor);
  return info.kernels.length;
}

useFusedWasm();

afterEach(() => {
  tf.env().set("IS_TEST", false);
});

describe("matMul on wasm matches cpu (output and both gradients)", () => {
  const mm = (ta: boolean, tb: boolean): Fn => (a, b) => tf.matMul(a as tf.Tensor, b as tf.Tensor, ta, tb);
  const transposes: Array<[boolean, boolean]> = [[false, false], [false, true], [true, false], [true, true]];
  // [a shape, b shape] for transposeA = transposeB = false; transposed shapes are derived.
  const cases: Array<[string, number[], number[]]> = [
    ["2-D, odd sizes", [5, 7], [7, 3]],
    ["2-D, one row", [1, 9], [9, 6]],
    ["2-D, one column", [6, 4], [4, 1]],
    ["2-D, small, 12 columns (the SIMD kernel where transposed)", [6, 5], [5, 12]],
    ["2-D, a critic's head: 24 rows into 1", [8, 24], [24, 1]],
    ["batched, as in attention", [3, 5, 7], [3, 7, 4]],
    ["rank 4: batch × heads", [2, 3, 4, 6], [2, 3, 6, 5]],
    ["batch 1 of rank 3", [1, 5, 3], [1, 3, 4]],
    ["batched, 20 columns (SIMD kernel: a 16-column block, then 4)", [2, 5, 7], [2, 7, 20]],
    ["batched, 64³ per batch (the SIMD kernel's largest)", [2, 64, 64], [2, 64, 64]],
    // gemm.wat takes products whose rows are a multiple of 4 (not both transposed)
    ["2-D, gemm: 12 rows, one 8-column block and a 3-column tail", [12, 9], [9, 11]],
    ["2-D, gemm: 4×8 blocks over a long sum", [16, 70], [70, 24]],
    ["rank 3 × rank 3 of batch 1, gemm", [1, 8, 5], [1, 5, 16]],
  ];
  const swap = (s: number[]) => [...s.slice(0, -2), s[s.length - 1] as number, s[s.length - 2] as number];
  for (const [name, sa, sb] of cases) {
    it.each(transposes)(`${name}: transposeA %s, transposeB %s`, async (ta, tb) => {
      const shapes = [ta ? swap(sa) : sa, tb ? swap(sb) : sb];
      expect(await wasmVsCpu(mm(ta, tb), shapes)).toBeLessThanOrEqual(TOLERANCE);
    });
  }

  // tfjs has no gradient for matMuls whose batch dimensions broadcast: forward only. Its cpu
  // kernel also gets batches that broadcast both ways wrong (it wraps indices around), so the
  // reference broadcasts the operands explicitly first.
  const broadcasts: Array<[string, number[], number[], boolean, boolean]> = [
    ["rank 3 × shared 2-D b (a dense layer over a sequence)", [4, 5, 7], [7, 3], false, false],
    ["rank 3 × shared 2-D b, transposed", [4, 5, 7], [3, 7], false, true],
    ["rank 4 × shared 2-D b (gemm: 24 rows)", [2, 3, 4, 7], [7, 10], false, false],
    ["rank 3ᵀ × shared 2-D b", [4, 7, 5], [7, 3], true, false],
    ["shared 2-D a × rank 3", [5, 7], [4, 7, 3], false, false],
    ["batch dimensions that broadcast both ways", [2, 1, 5, 7], [1, 3, 7, 4], false, false],
    ["broadcast and transposed", [2, 1, 7, 5], [3, 4, 7], true, true],
  ];
  it.each(broadcasts)("%s", async (_, sa, sb, ta, tb) => {
    const data = randomData([sa, sb], 2);
    const batch = tf.broadcast_util.assertAndGetBroadcastShape(sa.slice(0, -2), sb.slice(0, -2));
    const product = (explicit: boolean) => tf.tidy(() => {
      let [a, b] = [tf.tensor(data[0] as Float32Array, sa), tf.tensor(data[1] as Float32Array, sb)];
      if (explicit) {
        a = tf.broadcastTo(a, [...batch, ...sa.slice(-2)]);
        b = tf.broadcastTo(b, [...batch, ...sb.slice(-2)]);
      }
      return tf.matMul(a, b, ta, tb).dataSync();
    });
    await tf.setBackend("cpu");
    const want = product(true);
    await tf.setBackend("wasm");
    expect(relErr(product(false), want)).toBeLessThanOrEqual(TOLERANCE);
  });

  it("a product large enough for XNNPACK's blocking (67×131 · 131×45ᵀ)", async () => {
    expect(await wasmVsCpu(mm(false, true), [[67, 131], [45, 131]])).toBeLessThanOrEqual(TOLERANCE);
  });
});

describe("fused matMul (bias + activation) on wasm matches cpu", () => {
  const cases: Array<[string, number[], number[], boolean, boolean, tf.fused.Activation]> = [
    ["2-D, transposeB, relu", [5, 7], [3, 7], false, true, "relu"],
    ["2-D, transposeA, linear", [7, 5], [7, 3], true, false, "linear"],
    ["2-D, both transposed, elu", [7, 5], [3, 7], true, true, "elu"],
    ["2-D plain, sigmoid", [5, 7], [7, 3], false, false, "sigmoid"],
  ];
  it.each(cases)("%s (with gradients)", async (_, sa, sb, ta, tb, activation) => {
    const f: Fn = (a, b, bias) =>
      tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias, transposeA: ta, transposeB: tb, activation });
    const n = tb ? sb[0] as number : sb[1] as number;
    expect(await wasmVsCpu(f, [sa, sb, [n]])).toBeLessThanOrEqual(TOLERANCE);
  });

  it("a one-value bias, transposed (forward)", async () => {
    const f: Fn = (a, b, bias) =>
      tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias, transposeB: true, activation: "relu" });
    expect(await wasmVsCpu(f, [[5, 7], [4, 7], [1]], true)).toBeLessThanOrEqual(TOLERANCE);
  });

  it("rank 3 against a shared 2-D b, transposed, relu (forward)", async () => {
    const f: Fn = (a, b, bias) =>
      tf.fused.matMul({ a: a as tf.Tensor3D, b: b as tf.Tensor2D, bias, transposeB: true, activation: "relu" });
    expect(await wasmVsCpu(f, [[3, 5, 7], [4, 7], [4]], true)).toBeLessThanOrEqual(TOLERANCE);
  });
});


describe("conv2dTranspose on wasm matches cpu (output, dx, dW)", () => {
  // [x, filter [fh, fw, out, in], output shape, strides, pad]: the generator shapes of the
  // course, strides that do not divide the filter, 1×1 and rectangular filters, odd sizes.
  // (Strides that divide both the filter and the output take convInputGradPhases.ts's path.)
  const cases: Array<[number[], number[], Shape4, number | [number, number], "same" | "valid"]> = [
    [[2, 4, 4, 3], [4, 4, 2, 3], [2, 8, 8, 2], 2, "same"],
    [[2, 7, 7, 8], [4, 4, 16, 8], [2, 14, 14, 16], 2, "same"], // DCGAN's, one convolution per phase
    [[1, 5, 6, 4], [4, 2, 16, 4], [1, 10, 6, 16], [2, 1], "same"],
    [[2, 3, 3, 4], [5, 5, 3, 4], [2, 6, 6, 3], 2, "same"],
    [[2, 3, 3, 4], [5, 5, 3, 4], [2, 5, 5, 3], 2, "same"],
    [[1, 4, 4, 2], [3, 3, 2, 2], [1, 7, 7, 2], 2, "same"],
    [[2, 4, 4, 2], [2, 2, 3, 2], [2, 8, 8, 3], 2, "valid"],
    [[2, 3, 5, 3], [3, 2, 2, 3], [2, 7, 10, 2], 2, "valid"],
    [[1, 4, 6, 2], [2, 1, 1, 2], [1, 12, 18, 1], 3, "same"],
    [[1, 3, 3, 2], [4, 4, 1, 2], [1, 9, 9, 1], 3, "same"],
    [[1, 4, 4, 2], [3, 3, 2, 2], [1, 7, 4, 2], [2, 1], "same"],
    [[2, 3, 3, 3], [1, 1, 2, 3], [2, 5, 5, 2], 2, "valid"],
    [[2, 5, 5, 3], [3, 3, 4, 3], [2, 5, 5, 4], 1, "same"],
    [[2, 3, 4, 3], [3, 2, 2, 3], [2, 5, 5, 2], 1, "valid"],
  ];
  it.each(cases)("x %j, filter %j → %j, stride %j, pad %j", async (x, w, out, stride, pad) => {
    const f = (a: tf.Tensor, b: tf.Tensor) => tf.conv2dTranspose(a as T4, b as T4, out, stride, pad);
    expect(await wasmVsCpu(f, [x, w])).toBeLessThanOrEqual(TOLERANCE);
  });
});

// conv2d's input gradient (Conv2DBackpropInput) over strides, paddings and odd sizes is covered by
// the conv2d cases of backend-kernels.test.ts, which run with the speed work on (setup's default).

describe("tile and broadcastTo gradients on wasm match cpu, in a few kernels", () => {
  const cases: Array<[number[], number[]]> = [
    [[3], [4]],
    [[2, 3], [1, 5]],
    [[2, 3], [4, 1]],
    [[1, 4], [6, 2]],
    [[2, 1, 3], [2, 5, 1]],
    [[1, 1, 4], [3, 5, 1]],
    [[2, 3, 1, 2], [2, 1, 3, 2]],
    [[2, 3], [1, 1]],
  ];
  it.each(cases)("tile %j by %j", async (shape, reps) => {
    expect(await wasmVsCpu((x) => tf.tile(x, reps), [shape])).toBeLessThanOrEqual(TOLERANCE);
  });

  it("broadcastTo, and layer-normalisation written with it", async () => {
    expect(await wasmVsCpu((x) => tf.broadcastTo(x, [4, 3, 5]), [[3, 1]])).toBeLessThanOrEqual(TOLERANCE);
    const layerNorm: Fn = (x, gamma, beta) => {
      const shape = x.shape;
      const { mean, variance } = tf.moments(x, -1, true);
      const normed = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5)));
      return tf.add(tf.mul(normed, tf.broadcastTo(gamma, shape)), tf.broadcastTo(beta, shape));
    };
    const shapes = [[2, 6, 8], [1, 1, 8], [1, 1, 8]];
    expect(await wasmVsCpu(layerNorm, shapes)).toBeLessThanOrEqual(TOLERANCE);
  });

  it("the gradient of tiling over 512 rows runs a handful of kernels, not thousands", async () => {
    await tf.setBackend("wasm");
    const f: Fn = (x) => tf.mul(tf.tile(x, [512, 1]), 2);
    expect(await gradKernels(f, [1, 16])).toBeLessThan(30);
    setWasmSpeedups(false);
    expect(await gradKernels(f, [1, 16])).toBeGreaterThan(1000); // tfjs's own: a slice + add per row
  });
});

describe("maxPool's gradient on wasm matches cpu", () => {
  // [x, filter, strides, pad]: overlapping windows, 'same' padding at the edges, odd sizes.
  const cases: Array<[number[], number | [number, number], number | [number, number], "same" | "valid"]> = [
    [[2, 8, 8, 3], 2, 2, "valid"],
    [[2, 7, 5, 4], 3, 2, "same"],
    [[1, 9, 7, 2], [3, 2], [2, 1], "valid"],
    [[2, 5, 6, 3], 2, 1, "same"],
    [[1, 6, 6, 1], 3, 3, "same"],
    [[2, 8, 6, 8], 2, 2, "valid"], // 2×2/2 tiling the input, channels a multiple of 4: simd/kernels.wat
    [[3, 4, 4, 4], 2, 2, "valid"],
  ];
  it.each(cases)("x %j, filter %j, strides %j, pad %j", async (x, filter, strides, pad) => {
    const f = (t: tf.Tensor) => tf.maxPool(t as T4, filter, strides, pad);
    expect(await wasmVsCpu(f, [x])).toBeLessThanOrEqual(TOLERANCE);
  });

  it("windows that are all negative, and ties (the first maximum takes the gradient)", async () => {
    const negative = (t: tf.Tensor) => tf.maxPool(tf.sub(t, 5) as T4, 2, 2, "same");
    expect(await wasmVsCpu(negative, [[2, 7, 5, 3]])).toBeLessThanOrEqual(TOLERANCE);
    const ties = (t: tf.Tensor) => tf.maxPool(tf.round(t) as T4, 3, 2, "same");
    expect(await wasmVsCpu(ties, [[2, 7, 7, 2]])).toBeLessThanOrEqual(TOLERANCE);
    const negative2x2 = (t: tf.Tensor) => tf.maxPool(tf.sub(t, 5) as T4, 2, 2, "valid");
    expect(await wasmVsCpu(negative2x2, [[2, 6, 4, 8]])).toBeLessThanOrEqual(TOLERANCE);
    const ties2x2 = (t: tf.Tensor) => tf.maxPool(tf.round(t) as T4, 2, 2, "valid");
    expect(await wasmVsCpu(ties2x2, [[2, 6, 6, 12]])).toBeLessThanOrEqual(TOLERANCE);
  });

  it("windows of −∞ and NaN take no gradient, as on cpu (the SIMD kernel)", async () => {
    const values = [-Infinity, -Infinity, -Infinity, -Infinity, NaN, 1, NaN, 2, 3, 3, -Infinity, 0, NaN, NaN, NaN, NaN];
    // 1 image of 2×2 pixels with 4 channels; channel k's window is values[k], [4 + k], [8 + k], [12 + k]
    const grads = async (backend: string) => {
      await tf.setBackend(backend);
      const g = tf.tidy(() => tf.grad((x: tf.Tensor) => tf.sum(tf.maxPool(x as T4, 2, 2, "valid")))(tf.tensor4d(values, [1, 2, 2, 4])).dataSync());
      await tf.setBackend("wasm");
      return Array.from(g);
    };
    const wasm = await grads("wasm");
    expect(wasm).toEqual(await grads("cpu"));
    expect(wasm).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
  });
});

describe("depthToSpace on wasm matches cpu (forward: tfjs has no gradient for it)", () => {
  it.each([[[2, 3, 4, 8], 2], [[1, 2, 3, 18], 3], [[2, 1, 1, 4], 2]] as Array<[number[], number]>)(
    "x %j, block %j", async (x, block) => {
      const f = (t: tf.Tensor) => tf.depthToSpace(t as T4, block);
      expect(await wasmVsCpu(f, [x], true)).toBeLessThanOrEqual(TOLERANCE);
    });
});

describe("slices on wasm match cpu", () => {
  const cases: Array<[string, number[], number[], number[]]> = [
    ["rows of a matrix (contiguous)", [6, 5], [2, 0], [3, 5]],
    ["columns of a matrix", [6, 5], [0, 1], [6, 3]],
    ["one head of [B, T, 3·C]", [2, 4, 12], [0, 0, 4], [2, 4, 4]],
    ["a window of an image batch", [2, 7, 6, 3], [1, 2, 1, 1], [1, 4, 3, 2]],
    ["rank 5, size -1", [2, 3, 4, 2, 3], [0, 1, 1, 0, 1], [-1, 2, 2, -1, 1]],
    ["one element", [3, 4], [2, 3], [1, 1]],
  ];
  it.each(cases)("%s: %j from %j size %j", async (_, shape, begin, size) => {
    expect(await wasmVsCpu((x) => tf.slice(x, begin, size), [shape])).toBeLessThanOrEqual(TOLERANCE);
  });

  it("int32 and bool slices, split and the gradient of concat", async () => {
    await tf.setBackend("wasm");
    const ints = tf.tensor2d([[1, 2, 3], [4, 5, 6]], [2, 3], "int32");
    expect(Array.from(tf.slice(ints, [0, 1], [2, 2]).dataSync())).toEqual([2, 3, 5, 6]);
    const bools = tf.tensor2d([[1, 0, 1], [0, 1, 1]], [2, 3], "bool");
    expect(Array.from(tf.slice(bools, [1, 1], [1, 2]).dataSync())).toEqual([1, 1]);
    tf.dispose([ints, bools]);
    const f: Fn = (a, b) => tf.concat(tf.split(tf.concat([a, b], 1), [2, 3, 1], 1).reverse(), 1);
    expect(await wasmVsCpu(f, [[3, 4], [3, 2]])).toBeLessThanOrEqual(TOLERANCE);
  });
});

describe("transposes, unstack and split on wasm match cpu", () => {
  const cases: Array<[number[], number[]]> = [
    [[4, 3, 2, 3, 5], [2, 0, 3, 1, 4]], // attention heads out of [B, T, 3, H, D]
    [[3, 4, 2, 3, 5], [1, 3, 0, 2, 4]],
    [[2, 3, 4, 5, 6], [4, 3, 2, 1, 0]], // last axis moves: the original kernel
    [[2, 1, 3, 1, 4], [4, 2, 0, 3, 1]], // size-1 axes dropped
    [[2, 3, 4, 5, 2, 3], [0, 1, 4, 5, 2, 3]], // merges to rank 3
    [[2, 3, 4, 5], [0, 2, 1, 3]],
    [[3, 1, 4], [1, 0, 2]],
  ];
  it.each(cases)("transpose %j by %j", async (shape, perm) => {
    expect(await wasmVsCpu((x) => tf.transpose(x, perm), [shape])).toBeLessThanOrEqual(TOLERANCE);
  });

  it("unstack along each axis, and split into equal and unequal pieces", async () => {
    for (const axis of [0, 1, 2]) {
      const f: Fn = (x) => tf.concat(tf.unstack(x, axis).map((t, i) => tf.mul(t, i + 1)), 0);
      expect(await wasmVsCpu(f, [[3, 4, 5]])).toBeLessThanOrEqual(TOLERANCE);
    }
    const halves: Fn = (x) => { const [a, b] = tf.split(x, 2, 2); return tf.sub(a as tf.Tensor, tf.mul(b as tf.Tensor, 2)); };
    expect(await wasmVsCpu(halves, [[2, 3, 8]])).toBeLessThanOrEqual(TOLERANCE);
    const uneven: Fn = (x) => tf.concat(tf.split(x, [1, 3, 2], 1).map((t, i) => tf.mul(t, i - 1)), 1);
    expect(await wasmVsCpu(uneven, [[4, 6, 2]])).toBeLessThanOrEqual(TOLERANCE);
  });
});

describe("gather on wasm matches cpu", () => {
  it("along each axis, with repeated ids, batchDims, and its gradient", async () => {
    const ids = () => tf.tensor2d([[3, 1, 3], [0, 9, 3]], [2, 3], "int32");
    expect(await wasmVsCpu((t) => tf.gather(t, ids()), [[10, 4]])).toBeLessThanOrEqual(TOLERANCE);
    const cols = (t: tf.Tensor) => tf.gather(t, tf.tensor1d([4, 0, 4, 2], "int32"), 2);
    expect(await wasmVsCpu(cols, [[2, 3, 5]])).toBeLessThanOrEqual(TOLERANCE);
    const perBatch = (t: tf.Tensor) => tf.gather(t, tf.tensor2d([[1, 0], [2, 2]], [2, 2], "int32"), 1, 1);
    expect(await wasmVsCpu(perBatch, [[2, 3, 4]], true)).toBeLessThanOrEqual(TOLERANCE);
  });

  it("int32 tables, and an index out of range throws", async () => {
    await tf.setBackend("wasm");
    const table = tf.tensor2d([[1, 2], [3, 4], [5, 6]], [3, 2], "int32");
    const rows = tf.gather(table, tf.tensor1d([2, 0], "int32"));
    expect(Array.from(rows.dataSync())).toEqual([5, 6, 1, 2]);
    expect(() => tf.gather(table, tf.tensor1d([3], "int32"))).toThrow(/not in \[0, 2\]/);
    tf.dispose([table, rows]);
  });
});

describe("the speed work frees what it allocates", () => {
  it("passes the engine's per-kernel leak check (IS_TEST), wasm heap unchanged", async () => {
    await tf.setBackend("wasm");
    const cases: Array<[Fn, number[][]]> = [
      [(a, b) => tf.matMul(a as tf.Tensor, b as tf.Tensor, true, false), [[7, 5], [7, 3]]],
      [(a, b) => tf.matMul(a as tf.Tensor, b as tf.Tensor, false, true), [[3, 5, 7], [3, 4, 7]]],
      [(x, w) => tf.conv2dTranspose(x as T4, w as T4, [2, 6, 6, 3], 2, "same"), [[2, 3, 3, 4], [5, 5, 3, 4]]],
      [(x, w) => tf.conv2dTranspose(x as T4, w as T4, [1, 7, 4, 2], [2, 1], "same"), [[1, 4, 4, 2], [3, 3, 2, 2]]],
      [(x, w) => tf.conv2dTranspose(x as T4, w as T4, [2, 8, 8, 16], 2, "same"), [[2, 4, 4, 3], [4, 4, 16, 3]]],
      [(x, w) => tf.conv2d(x as T4, w as T4, 2, "same"), [[2, 7, 6, 3], [3, 2, 3, 4]]],
      [(x) => tf.tile(x, [3, 1, 2]), [[2, 3, 1]]],
      [(x) => tf.slice(x, [0, 1, 0], [2, 2, 3]), [[2, 4, 5]]],
      [(x) => tf.maxPool(x as T4, 3, 2, "same"), [[1, 5, 6, 2]]],
      [(x, w) => tf.conv2d(x as T4, w as T4, 1, "same"), [[2, 6, 5, 1], [3, 3, 1, 4]]],
      [(x) => tf.transpose(x, [2, 0, 3, 1, 4]), [[2, 3, 2, 2, 4]]],
      [(x) => tf.stack(tf.unstack(x, 1).reverse(), 1), [[2, 3, 4]]],
      [(x) => tf.concat(tf.split(x, [1, 2], 1).reverse(), 1), [[2, 3, 4]]],
      [(x) => tf.gather(x, tf.tensor1d([2, 0, 2], "int32")), [[3, 4]]],
      // the SIMD kernels' paths: a 2×2/2 pool over 4 channels, a leading-axis sum over 6 columns
      [(x) => tf.maxPool(x as T4, 2, 2, "valid"), [[2, 4, 6, 4]]],
      [(x) => tf.sum(tf.mul(x, x), [0, 1]), [[3, 5, 6]]],
    ];
    const run = () => {
      for (const [f, shapes] of cases) outputAndGrads(f, shapes, randomData(shapes, 4));
      const rank3 = tf.tidy(() => tf.matMul(tf.ones([4, 5, 7]), tf.ones([3, 7]), false, true));
      const fused = tf.tidy(() =>
        tf.fused.matMul({ a: tf.ones([2, 5, 7]), b: tf.ones([7, 3]), bias: tf.ones([3]), activation: "relu" }));
      const space = tf.tidy(() => tf.depthToSpace(tf.ones([1, 2, 3, 8]) as T4, 2));
      tf.dispose([rank3, fused, space]);
    };
    run(); // first use of each kernel may set up caches
    const tensors = tf.memory().numTensors;
    const blocks = tf.backend().numDataIds();
    // On only here: tfjs's own customGrad ops (softmaxCrossEntropy, …) fail this check.
    tf.env().set("IS_TEST", true);
    run();
    tf.env().set("IS_TEST", false);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.backend().numDataIds()).toBe(blocks);
  });
});

describe("threads", () => {
  it("setup() uses GENAI_WASM_THREADS, else half the logical cores but at least 2", async () => {
    const info = await setup({ backend: "wasm", quiet: true });
    expect(info.device).not.toMatch(/failed/);
    const threads = Number(/(\d+) threads?/.exec(info.device)?.[1]);
    const asked = process.env.GENAI_WASM_THREADS;
    const want = asked ? Number(asked) : defaultWasmThreads(availableParallelism());
    expect(threads).toBe(Math.min(8, Math.max(1, want)));
  });

  it("defaults to half the logical cores, at least 2 where there are 2, at most 8", () => {
    expect([1, 2, 3, 4, 8, 12, 32].map((cores) => defaultWasmThreads(cores))).toEqual([1, 2, 2, 2, 4, 6, 8]);
  });
});

describe("the switch", () => {
  it("setWasmSpeedups(false) restores tfjs's kernels, true brings the fast ones back", async () => {
    await tf.setBackend("wasm");
    const fast = tf.getKernel(tf.BatchMatMul, "wasm")?.kernelFunc;
    expect(wasmSpeedupsEnabled()).toBe(true);
    setWasmSpeedups(false);
    expect(wasmSpeedupsEnabled()).toBe(false);
    const stock = tf.getKernel(tf.BatchMatMul, "wasm")?.kernelFunc;
    expect(stock).not.toBe(fast);
    setWasmSpeedups(true);
    expect(tf.getKernel(tf.BatchMatMul, "wasm")?.kernelFunc).toBe(fast);
  });

  it("GENAI_WASM_SPEEDUPS=0 makes setup() register none of them; the results agree", async () => {
    const a = randomData([[6, 5], [4, 5]], 3);
    const product = () => tf.tidy(() =>
      tf.matMul(tf.tensor2d(a[0] as Float32Array, [6, 5]), tf.tensor2d(a[1] as Float32Array, [4, 5]), false, true)
        .dataSync());
    const fast = product();
    process.env.GENAI_WASM_SPEEDUPS = "0";
    try {
      await setup({ backend: "wasm", quiet: true });
      expect(wasmSpeedupsEnabled()).toBe(false);
      expect(relErr(product(), fast)).toBeLessThanOrEqual(TOLERANCE);
    } finally {
      delete process.env.GENAI_WASM_SPEEDUPS;
      await setup({ backend: "wasm", quiet: true });
    }
    expect(wasmSpeedupsEnabled()).toBe(true);
  });
});
