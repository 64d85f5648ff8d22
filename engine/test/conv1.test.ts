/**
 * Convolutions of a one-channel input on wasm (engine/src/conv1.ts, engine/wasm/conv1.wat: the forward
 * pass of small ones and the filter gradient) against the cpu backend, with dx: filter sizes,
 * strides, 'same', 'valid', numeric and explicit paddings, odd image sizes, 32 to 96 channels;
 * other channel counts take the general path and match too; nothing leaks.
 */
import { describe, expect, it } from "vitest";
import { tf } from "@course/lib";
import { outputAndGrads, randomData, useFusedWasm, wasmVsCpu } from "./helpers/wasm-vs-cpu.ts";

useFusedWasm();

type T4 = tf.Tensor4D;
type Pad = "same" | "valid" | number | [[number, number], [number, number], [number, number], [number, number]];

describe("conv2d of one input channel on wasm matches cpu (output, dx, dW)", () => {
  const cases: Array<[string, number[], number[], number | [number, number], Pad]> = [
    ["convnet conv1: 3×3, same", [3, 28, 28, 1], [3, 3, 1, 32], 1, "same"],
    ["VAE/DCGAN: 4×4 stride 2, same", [2, 28, 28, 1], [4, 4, 1, 64], 2, "same"],
    ["5×5, valid, odd image", [2, 11, 9, 1], [5, 5, 1, 32], 1, "valid"],
    ["strides 2 and 3, valid, a 3×2 filter", [1, 13, 14, 1], [3, 2, 1, 32], [2, 3], "valid"],
    // tfjs 4.22 sizes a numeric pad's output from the filter height and stride alone: square here
    ["numeric padding, stride 2", [1, 13, 14, 1], [3, 3, 1, 32], 2, 1],
    ["explicit uneven padding", [2, 7, 8, 1], [3, 3, 1, 32], 1, [[0, 0], [2, 0], [0, 1], [0, 0]]],
    ["1×1 filter", [2, 5, 6, 1], [1, 1, 1, 96], 1, "valid"],
    ["16 output channels (the general path)", [2, 9, 9, 1], [3, 3, 1, 16], 1, "same"],
  ];
  it.each(cases)("%s", async (_name, xs, ws, strides, pad) => {
    const f = (x: tf.Tensor, w: tf.Tensor) => tf.conv2d(x as T4, w as T4, strides, pad);
    expect(await wasmVsCpu(f, [xs, ws])).toBeLessThanOrEqual(1e-4);
  });

  it("leaks no tensors or wasm heap blocks", () => {
    const f = (x: tf.Tensor, w: tf.Tensor) => tf.conv2d(x as T4, w as T4, 2, "same");
    const shapes = [[2, 9, 9, 1], [4, 4, 1, 32]];
    outputAndGrads(f, shapes, randomData(shapes, 3));
    const tensors = tf.memory().numTensors, blocks = tf.backend().numDataIds();
    outputAndGrads(f, shapes, randomData(shapes, 4));
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.backend().numDataIds()).toBe(blocks);
  });
});
