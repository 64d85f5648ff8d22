/**
 * The course's Adam (lib/src/nn/adam.ts; on wasm the seam runs engine/src/fused/adam.ts) against
 * tf.train.adam: the same values and moments after several steps with a learning rate changed every step, on cpu and on wasm with the speed
 * work on and off, odd shapes; one kernel per variable on wasm; no leaked tensors.
 */
import { describe, expect, it } from "vitest";
import { fusedWasmActive, setWasmSpeedups } from "@course/engine";
import { Adam, adam, tf } from "@course/lib";
import { randomData, relErr, useFusedWasm } from "./helpers/wasm-vs-cpu.ts";

const SHAPES = [[7], [3, 5], [2, 3, 4], [1], [33, 17]];
const STEPS = 6;
const TOLERANCE = 2e-5;

/** A loss with a different gradient per variable and step: Σ sin(v)·target + v². */
function lossOf(vars: tf.Variable[], targets: tf.Tensor[]): () => tf.Scalar {
  return () => tf.addN(vars.map((v, i) => tf.sum(tf.add(tf.mul(tf.sin(v), targets[i] as tf.Tensor), tf.square(v))))) as tf.Scalar;
}

interface Run { values: Float32Array[]; weights: Float32Array[]; names: string[]; losses: number[] }

/** STEPS steps of `make()`'s optimiser from the same seeded start; the learning rate changes each step. */
async function run(make: (lr: number) => tf.AdamOptimizer, between?: (step: number) => void): Promise<Run> {
  const data = randomData([...SHAPES, ...SHAPES], 3);
  const vars = SHAPES.map((s, i) => tf.tidy(() => tf.variable(tf.tensor(data[i] as Float32Array, s))));
  const targets = SHAPES.map((s, i) => tf.tensor(data[SHAPES.length + i] as Float32Array, s));
  const opt = make(0.05);
  const losses: number[] = [];
  for (let step = 0; step < STEPS; step++) {
    between?.(step);
    (opt as unknown as { learningRate: number }).learningRate = 0.05 / (1 + step);
    const loss = opt.minimize(lossOf(vars, targets), true, vars) as tf.Scalar;
    losses.push((await loss.data())[0] as number);
    loss.dispose();
  }
  const weights = await opt.getWeights();
  const out: Run = {
    values: vars.map((v) => v.dataSync() as Float32Array),
    weights: weights.map((w) => w.tensor.dataSync() as Float32Array),
    names: weights.map((w) => w.name),
    losses,
  };
  opt.dispose();
  tf.dispose([...vars, ...targets, weights[0]!.tensor]); // weights[0]: the step count, made by getWeights
  return out;
}

function worst(a: Run, b: Run): number {
  const kinds = (r: Run) => r.names.map((n) => n.replace(/^.*\//, "")); // iter, m…, v… (names differ by run)
  expect(kinds(a)).toEqual(kinds(b));
  const pairs = [...a.values.map((v, i) => [v, b.values[i]]), ...a.weights.map((w, i) => [w, b.weights[i]])];
  return Math.max(...pairs.map(([x, y]) => relErr(x as Float32Array, y as Float32Array)), relErr(a.losses, b.losses));
}

useFusedWasm();

describe("Adam equals tf.train.adam", () => {
  const cases: Array<[string, string, boolean]> = [
    ["cpu", "cpu", true],
    ["wasm, speed work on (fused)", "wasm", true],
    ["wasm, speed work off (tf's update)", "wasm", false],
  ];
  it.each(cases)("%s", async (_, backend, speedups) => {
    await tf.setBackend(backend);
    setWasmSpeedups(speedups);
    expect(fusedWasmActive()).toBe(backend === "wasm" && speedups);
    const before = tf.memory().numTensors;
    const want = await run((lr) => tf.train.adam(lr, 0.9, 0.999, 1e-8));
    const got = await run((lr) => adam(lr));
    expect(worst(got, want)).toBeLessThanOrEqual(TOLERANCE);
    // tf.train.adam's default ε is the backend's (1e-7): Adam's is the same.
    const gotDefault = await run((lr) => new Adam(lr));
    const wantDefault = await run((lr) => tf.train.adam(lr));
    expect(worst(gotDefault, wantDefault)).toBeLessThanOrEqual(TOLERANCE);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("β1 = 0.5 (the GANs'), on wasm", async () => {
    const want = await run((lr) => tf.train.adam(lr, 0.5, 0.999, 1e-8));
    const got = await run((lr) => adam(lr, 0.5));
    expect(worst(got, want)).toBeLessThanOrEqual(TOLERANCE);
  });

  it("the fused and tf's update can take turns within one run", async () => {
    const want = await run((lr) => tf.train.adam(lr, 0.9, 0.999, 1e-8));
    const got = await run((lr) => adam(lr), (step) => setWasmSpeedups(step % 2 === 0));
    expect(worst(got, want)).toBeLessThanOrEqual(TOLERANCE);
  });
});

describe("Adam on wasm", () => {
  it("runs one kernel per variable per step (plus two for β1ᵗ, β2ᵗ)", async () => {
    const vars = SHAPES.map((s) => tf.tidy(() => tf.variable(tf.ones(s))));
    const grads = vars.map((v) => ({ name: v.name, tensor: tf.onesLike(v) }));
    const count = async (opt: tf.AdamOptimizer) => {
      opt.applyGradients(grads); // first step makes the moments
      const info = await tf.profile(() => opt.applyGradients(grads));
      opt.dispose();
      return info.kernels.length;
    };
    expect(await count(adam(0.01))).toBe(SHAPES.length + 2);
    expect(await count(tf.train.adam(0.01))).toBeGreaterThan(10 * SHAPES.length);
    tf.dispose([...vars, ...grads.map((g) => g.tensor)]);
  });

  it("GENAI_WASM_FUSED=0 switches to tf.train.adam's update", () => {
    process.env.GENAI_WASM_FUSED = "0";
    try {
      expect(fusedWasmActive()).toBe(false);
    } finally {
      delete process.env.GENAI_WASM_FUSED;
    }
    expect(fusedWasmActive()).toBe(true);
  });

  it("keeps the learning rate settable and the tensors it was given unchanged", async () => {
    const v = tf.tidy(() => tf.variable(tf.tensor1d([1, 2, 3])));
    const g = tf.tensor1d([0.5, -0.5, 0]);
    const opt = adam(0.1);
    opt.setLearningRate(0.2);
    expect(opt.getLearningRate()).toBe(0.2);
    const old = v.clone();
    opt.applyGradients([{ name: v.name, tensor: g }]);
    // First step: m̂ = g, v̂ = g², so the update is −lr·sign(g) (up to ε).
    const got = Array.from(v.dataSync());
    expect(got[0]).toBeCloseTo(0.8, 5);
    expect(got[1]).toBeCloseTo(2.2, 5);
    expect(got[2]).toBeCloseTo(3, 6);
    expect(Array.from(g.dataSync())).toEqual([0.5, -0.5, 0]);
    expect(Array.from(old.dataSync())).toEqual([1, 2, 3]);
    opt.dispose();
    tf.dispose([v, g, old]);
  });
});
