/**
 * Leaky ReLU on wasm (engine/src/wasmLeakyRelu.ts: x·step(x, α), gradient dy·step(x, α)) against
 * the cpu backend's tfjs kernels: values and gradients for several slopes and shapes, zeros
 * included; the gradient is two kernels instead of three; nothing leaks; switching the speed
 * work off brings tfjs's kernel and gradient back.
 */
import { describe, expect, it } from "vitest";
import { setWasmSpeedups } from "@course/engine";
import { tf } from "@course/lib";
import { outputAndGrads, randomData, relErr, useFusedWasm, wasmVsCpu } from "./helpers/wasm-vs-cpu.ts";

useFusedWasm();

describe("leakyRelu on wasm matches cpu (value and gradient)", () => {
  const cases: Array<[number[], number]> = [
    [[32, 7, 7, 16], 0.2],
    [[5, 3], 0.01],
    [[2, 3, 4], 0],
    [[17], 1.5],
    [[4, 9], -0.3],
  ];
  it.each(cases)("x %j, α %s", async (shape, alpha) => {
    const f = (x: tf.Tensor) => tf.leakyRelu(x, alpha);
    expect(await wasmVsCpu(f, [shape])).toBeLessThanOrEqual(1e-6);
  });

  it("at exactly 0 the value is 0 and the gradient α·dy, as tfjs's", async () => {
    const f = (x: tf.Tensor) => tf.leakyRelu(tf.mul(tf.round(x), 0), 0.2); // all zeros, −0 included
    expect(await wasmVsCpu(f, [[3, 4]])).toBeLessThanOrEqual(1e-6);
    const g = tf.tidy(() => tf.grad((x: tf.Tensor) => tf.sum(tf.leakyRelu(x, 0.2)))(tf.zeros([3])).dataSync());
    expect(Array.from(g)).toEqual([0.2, 0.2, 0.2].map(Math.fround));
  });
});

describe("its kernels", () => {
  const kernelsOfGrad = async (): Promise<string[]> => {
    const x = tf.randomNormal([8, 8]);
    const info = await tf.profile(() => tf.grad((t: tf.Tensor) => tf.leakyRelu(t, 0.2))(x));
    tf.dispose([x, info.result as tf.Tensor]);
    return info.kernels.map((k) => k.name);
  };

  it("the gradient is step and multiply; with the speed work off it is tfjs's again", async () => {
    const fast = await kernelsOfGrad();
    expect(fast).not.toContain("Select");
    expect(fast).toContain("Step");
    setWasmSpeedups(false);
    expect(await kernelsOfGrad()).toContain("Select");
  });

  it("frees what it allocates (IS_TEST leak check, wasm heap unchanged)", () => {
    const data = randomData([[6, 5]], 3);
    const run = () => outputAndGrads((x) => tf.leakyRelu(x, 0.2), [[6, 5]], data);
    run();
    const tensors = tf.memory().numTensors, blocks = tf.backend().numDataIds();
    tf.env().set("IS_TEST", true);
    try {
      run();
    } finally {
      tf.env().set("IS_TEST", false);
    }
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.backend().numDataIds()).toBe(blocks);
  });

  it("int32 input runs tfjs's own kernel", () => {
    const y = tf.tidy(() => tf.leakyRelu(tf.tensor1d([-2, 3], "int32"), 0.5).dataSync());
    expect(relErr(y, [-1, 3])).toBe(0);
  });
});
