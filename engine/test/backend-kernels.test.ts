/**
 * The wasm backend against the cpu backend (the reference): forward values and gradients of the
 * ops whose kernels setup() adds to or fixes in wasm. Each case runs the same function on the
 * same data on both backends and compares with relative error ≤ 1e-4.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { Rng, setup, tf } from "@course/lib";
import { outputAndGrads, randomData, relErr, wasmVsCpu, type Fn } from "./helpers/wasm-vs-cpu.ts";

type T4 = tf.Tensor4D;
const TOLERANCE = 1e-4;


type Pad = "same" | "valid" | number | [[0, 0], [number, number], [number, number], [0, 0]];
const EXPLICIT: Pad = [[0, 0], [1, 2], [0, 3], [0, 0]];

beforeAll(async () => {
  await setup({ backend: "wasm", quiet: true });
});

afterEach(() => {
  tf.env().set("IS_TEST", false);
});

describe("conv2d on wasm matches cpu (output, dx, dW)", () => {
  // [x shape NHWC, filter [fh, fw, cin, cout], strides, pad]: odd sizes, strides that do not
  // divide the input, filters smaller than their stride, rectangular everything.
  const cases: Array<[number[], number[], number | [number, number], Pad]> = [
    [[2, 8, 8, 3], [3, 3, 3, 4], 1, "same"],
    [[2, 9, 7, 3], [3, 3, 3, 5], 2, "same"],
    [[1, 13, 11, 2], [5, 3, 2, 3], [2, 1], "same"],
    [[3, 7, 6, 2], [3, 2, 2, 2], 3, "same"],
    [[2, 7, 7, 4], [1, 1, 4, 3], 2, "same"],
    [[2, 9, 7, 3], [3, 3, 3, 5], 2, "valid"],
    [[1, 10, 9, 1], [4, 4, 1, 2], 3, "valid"],
    [[2, 5, 8, 3], [2, 3, 3, 2], [1, 3], "valid"],
    [[2, 7, 7, 2], [3, 3, 2, 3], 2, 1],
    [[1, 8, 9, 2], [3, 3, 2, 2], 1, 2],
    [[2, 7, 9, 2], [3, 2, 2, 3], [2, 1], EXPLICIT],
    // column stride 1 and up to 32 input channels: the filter gradient's SIMD patches (kernels.wat)
    [[2, 6, 5, 12], [3, 3, 12, 8], 1, "same"],
    [[2, 5, 7, 20], [3, 3, 20, 6], 1, "valid"],
    [[1, 6, 6, 33], [3, 3, 33, 4], 1, "same"],
    // stride 1 and at least 16 input channels: the filter gradient as products on a padded
    // grid (convFilterGradTaps.ts), one or more blocks of 512 grid pixels
    [[2, 9, 10, 36], [3, 3, 36, 12], 1, "same"],
    [[2, 10, 12, 40], [3, 3, 40, 5], 1, "valid"],
    [[2, 16, 16, 16], [2, 3, 16, 8], 1, "same"],
    [[1, 12, 12, 20], [1, 1, 20, 8], 1, "same"],
    [[2, 9, 9, 36], [3, 3, 36, 4], 1, 2],
  ];
  it.each(cases)("x %j, filter %j, strides %j, pad %j", async (x, w, strides, pad) => {
    const f = (a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as T4, b as T4, strides, pad);
    expect(await wasmVsCpu(f, [x, w])).toBeLessThanOrEqual(TOLERANCE);
  });

  it("numeric pad with dimRoundingMode 'ceil' (wasm's own output is garbage)", async () => {
    // Forward only: tfjs's conv2d gradient drops dimRoundingMode, so cpu's gradient is wrong.
    const f = (a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as T4, b as T4, 3, 0, "NHWC", 1, "ceil");
    expect(await wasmVsCpu(f, [[2, 13, 11, 3], [3, 3, 3, 5]], true)).toBeLessThanOrEqual(TOLERANCE);
  });
});

describe("conv2dTranspose on wasm matches cpu (output, dx, dW)", () => {
  type Shape4 = [number, number, number, number];
  const cases: Array<[number[], number[], Shape4, number, "same" | "valid"]> = [
    [[2, 4, 4, 3], [4, 4, 2, 3], [2, 8, 8, 2], 2, "same"],
    [[2, 5, 3, 2], [3, 3, 4, 2], [2, 10, 6, 4], 2, "same"],
    [[1, 4, 6, 2], [2, 1, 1, 2], [1, 12, 18, 1], 3, "same"],
    [[2, 3, 5, 3], [3, 2, 2, 3], [2, 7, 10, 2], 2, "valid"],
  ];
  it.each(cases)("x %j, filter %j → %j, stride %j, pad %j", async (x, w, out, stride, pad) => {
    const f = (a: tf.Tensor, b: tf.Tensor) =>
      tf.conv2dTranspose(a as T4, b as T4, out, stride, pad);
    expect(await wasmVsCpu(f, [x, w])).toBeLessThanOrEqual(TOLERANCE);
  });
});

describe("other kernels setup() adds to or fixes in wasm match cpu", () => {
  it("embedding lookup: tf.gather and its gradient (UnsortedSegmentSum)", async () => {
    const ids = () => tf.tensor2d([[3, 1, 3], [0, 9, 3]], [2, 3], "int32"); // repeated ids
    const lookup = (table: tf.Tensor) => tf.gather(table, ids()); // [2, 3, C]
    expect(await wasmVsCpu(lookup, [[10, 4]])).toBeLessThanOrEqual(TOLERANCE);
    const alongAxis1 = (x: tf.Tensor) => tf.gather(x, tf.tensor1d([1, 1, 4], "int32"), 1);
    expect(await wasmVsCpu(alongAxis1, [[2, 5, 3]])).toBeLessThanOrEqual(TOLERANCE);
  });

  it("depthwise and separable conv gradients", async () => {
    const dw = (x: tf.Tensor, w: tf.Tensor) => tf.depthwiseConv2d(x as T4, w as T4, 2, "same");
    expect(await wasmVsCpu(dw, [[2, 7, 6, 3], [3, 3, 3, 2]])).toBeLessThanOrEqual(TOLERANCE);
    const sep = (x: tf.Tensor, d: tf.Tensor, p: tf.Tensor) =>
      tf.separableConv2d(x as T4, d as T4, p as T4, 1, "valid");
    const shapes = [[1, 6, 5, 2], [3, 3, 2, 2], [1, 1, 4, 3]];
    expect(await wasmVsCpu(sep, shapes)).toBeLessThanOrEqual(TOLERANCE);
  });

  it("maxPool gradient where a window is all negative (wasm's own kernel drops it)", async () => {
    const f = (x: tf.Tensor) => tf.maxPool(tf.sub(x, 3) as T4, 2, 2, "same");
    expect(await wasmVsCpu(f, [[2, 7, 5, 3]])).toBeLessThanOrEqual(TOLERANCE);
  });

  it("einsum (forward only: tfjs has no einsum gradient)", async () => {
    const f = (a: tf.Tensor, b: tf.Tensor) => tf.einsum("ij,jk->ik", a, b);
    expect(await wasmVsCpu(f, [[3, 4], [4, 5]], true)).toBeLessThanOrEqual(TOLERANCE);
  });
});

describe("the added kernels free what they allocate", () => {
  it("pass the engine's per-kernel leak check (IS_TEST), wasm heap unchanged", async () => {
    await tf.setBackend("wasm");
    const cases: Array<[Fn, number[][]]> = [
      [(x, w) => tf.conv2d(x as T4, w as T4, 2, "same"), [[2, 7, 6, 3], [3, 2, 3, 4]]],
      [
        (x, w) => tf.conv2dTranspose(x as T4, w as T4, [1, 8, 8, 2], 2, "same"),
        [[1, 4, 4, 3], [3, 3, 2, 3]],
      ],
      [(t) => tf.gather(t, tf.tensor1d([0, 2, 2], "int32")), [[4, 3]]],
      [(x, w) => tf.depthwiseConv2d(x as T4, w as T4, 1, "same"), [[1, 5, 5, 2], [3, 3, 2, 1]]],
      [(x) => tf.maxPool(x as T4, 3, 2, "same"), [[1, 5, 6, 2]]],
    ];
    const tensors = tf.memory().numTensors;
    const blocks = tf.backend().numDataIds();
    // On only here: tfjs's own customGrad ops (softmaxCrossEntropy, …) fail this check.
    tf.env().set("IS_TEST", true);
    for (const [f, shapes] of cases) outputAndGrads(f, shapes, randomData(shapes, 4));
    tf.env().set("IS_TEST", false);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.backend().numDataIds()).toBe(blocks);
  });
});
