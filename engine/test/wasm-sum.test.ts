/**
 * Sum over leading axes on wasm (engine/src/wasmSum.ts, one XNNPACK product) against the cpu
 * backend: values and gradients, keepDims, negative and unsorted axes, odd sizes; the cases it
 * leaves to tfjs's kernel (trailing or middle axes, all axes, int32) too; no leaked tensors.
 */
import { describe, expect, it } from "vitest";
import { tf } from "@course/lib";
import { useFusedWasm, wasmVsCpu } from "./helpers/wasm-vs-cpu.ts";

const TOLERANCE = 1e-4;
useFusedWasm();

describe("sum on wasm matches cpu (values and gradients)", () => {
  const cases: Array<[string, number[], number | number[], boolean]> = [
    ["a dense layer's bias gradient [B·T, C], axis 0", [67, 45], 0, false],
    ["axis 0, keepDims", [7, 5], 0, true],
    ["rank 3, axes [0, 1] (a bias over [B, T, C])", [3, 5, 7], [0, 1], false],
    ["rank 3, axes [1, 0], keepDims", [3, 5, 7], [1, 0], true],
    ["rank 4, axes 0…2 (a conv bias)", [2, 3, 4, 5], [0, 1, 2], false],
    ["negative axis −2 of rank 2", [6, 3], -2, false],
    ["an even number of columns (the SIMD kernel), axis 0", [33, 64], 0, false],
    ["a conv bias with 8 channels (the SIMD kernel), keepDims", [4, 6, 6, 8], [0, 1, 2], true],
    ["one row (left to tfjs)", [1, 9], 0, false],
    ["last axis (left to tfjs)", [5, 7], 1, false],
    ["middle axis (left to tfjs)", [3, 5, 7], 1, false],
    ["all axes (left to tfjs)", [4, 6], [0, 1], false],
  ];
  it.each(cases)("%s", async (_, shape, axis, keepDims) => {
    const f = (x: tf.Tensor) => tf.sum(x, axis, keepDims);
    expect(await wasmVsCpu(f, [shape])).toBeLessThanOrEqual(TOLERANCE);
  });

  it("int32 sums stay exact, and nothing leaks", () => {
    const before = [tf.memory().numTensors, tf.backend().numDataIds()];
    const x = tf.tensor2d([[1, 2, 3], [4, 5, 6]], [2, 3], "int32");
    const s = tf.sum(x, 0);
    expect(s.dtype).toBe("int32");
    expect(Array.from(s.dataSync())).toEqual([5, 7, 9]);
    const y = tf.tidy(() => tf.sum(tf.ones([9, 4]), 0, true));
    expect(y.shape).toEqual([1, 4]);
    expect(Array.from(y.dataSync())).toEqual([9, 9, 9, 9]);
    tf.dispose([x, s, y]);
    expect([tf.memory().numTensors, tf.backend().numDataIds()]).toEqual(before);
  });
});
