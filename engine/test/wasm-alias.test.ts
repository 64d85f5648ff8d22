/**
 * Identity and same-dtype Cast on wasm share the input's data (engine/src/wasmAlias.ts) instead of
 * copying it: the output reads the same values, outlives the input, frees the data with the last
 * reference, and a real conversion still converts. With the speed work off they copy again.
 */
import { describe, expect, it } from "vitest";
import { setWasmSpeedups } from "@course/engine";
import { tf } from "@course/lib";
import { useFusedWasm } from "./helpers/wasm-vs-cpu.ts";

useFusedWasm();

const blocks = () => tf.backend().numDataIds();

describe("identity and same-dtype cast on wasm", () => {
  it("clone shares the data, keeps it alive after the input is disposed, frees it after both", () => {
    const before = blocks();
    const x = tf.tensor2d([[1, -2, 3], [4, 5, -6]]);
    const y = tf.clone(x);
    expect(y.dataId).toBe(x.dataId);
    expect(blocks()).toBe(before + 1);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, -2, 3, 4, 5, -6]);
    y.dispose();
    expect(blocks()).toBe(before);
  });

  it("cast to the same dtype shares the data; int32 → float32 and float32 → int32 convert", () => {
    const before = blocks();
    const f = tf.tensor1d([1.75, -2.5, 3]);
    const same = tf.cast(f, "float32");
    expect(same.dataId).toBe(f.dataId);
    const asInt = tf.cast(f, "int32");
    expect(asInt.dataId).not.toBe(f.dataId);
    expect(Array.from(asInt.dataSync())).toEqual([1, -2, 3]);
    const back = tf.cast(asInt, "float32");
    expect(back.dtype).toBe("float32");
    expect(Array.from(back.dataSync())).toEqual([1, -2, 3]);
    tf.dispose([f, same, asInt, back]);
    expect(blocks()).toBe(before);
  });

  it("a ReLU's gradient (step, cast, multiply) is unchanged and leaks nothing", () => {
    const x = tf.tensor1d([-1, 0.5, 2, -0.25]);
    const before = blocks();
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.relu(t), 3)))(x);
    expect(Array.from(g.dataSync())).toEqual([0, 3, 3, 0]);
    g.dispose();
    expect(blocks()).toBe(before);
    x.dispose();
  });

  it("with the speed work off, wasm's own kernels copy", () => {
    setWasmSpeedups(false);
    const x = tf.tensor1d([1, 2]);
    const y = tf.clone(x);
    expect(y.dataId).not.toBe(x.dataId);
    tf.dispose([x, y]);
  });
});
