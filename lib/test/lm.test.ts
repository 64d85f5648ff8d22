import { describe, expect, it } from "vitest";
import { BigramLM, Rng, crossEntropy, filteredProbs, generate, randomWindows, setup, tf, trainLM } from "@course/lib";

describe("language-model toolkit", () => {
  it("crossEntropy equals −mean log softmax at the targets and skips −1 padding", async () => {
    await setup({ seed: 1, backend: "cpu", quiet: true });
    const logits = tf.tensor3d([[[1, 2, 3], [0, 0, 0]], [[3, 1, 0], [1, 1, 5]]]); // [2, 2, 3]
    const targets = tf.tensor2d([[2, 0], [0, -1]], [2, 2], "int32");
    const lse = (r: number[]) => Math.log(r.reduce((s, v) => s + Math.exp(v), 0));
    const want = -((3 - lse([1, 2, 3])) + (0 - lse([0, 0, 0])) + (3 - lse([3, 1, 0]))) / 3;
    expect(crossEntropy(logits, targets).dataSync()[0]).toBeCloseTo(want, 5);
    expect(() => crossEntropy(logits, tf.zeros([2, 3], "int32") as tf.Tensor2D)).toThrow(/targets has shape \[2, 3\], expected \[2, 2\]/);
    tf.dispose([logits, targets]);
  });

  it("filteredProbs: temperature, top-k and top-p", () => {
    const logits = [Math.log(0.5), Math.log(0.3), Math.log(0.15), Math.log(0.05)];
    const p = Array.from(filteredProbs(logits));
    expect(p[0]).toBeCloseTo(0.5, 6);
    const k2 = Array.from(filteredProbs(logits, { topK: 2 }));
    expect(k2.map((v) => v > 0)).toEqual([true, true, false, false]);
    const p75 = Array.from(filteredProbs(logits, { topP: 0.75 }));
    expect(p75.map((v) => v > 0)).toEqual([true, true, false, false]); // 0.5 < 0.75 ≤ 0.8
    const cold = Array.from(filteredProbs(logits, { temperature: 0.1 }));
    expect(cold[0]).toBeGreaterThan(0.99);
    expect(() => filteredProbs(logits, { temperature: 0 })).toThrow(/temperature must be > 0/);
  });

  it("trainLM drives a bigram model's loss down, generate is seeded, nothing leaks", async () => {
    await setup({ seed: 3, backend: "cpu", quiet: true });
    const tokens = Int32Array.from({ length: 400 }, (_, i) => (i * 7) % 5); // a deterministic cycle
    const model = new BigramLM(5, new Rng(1));
    const rng = new Rng(2);
    const before = tf.memory().numTensors;
    const history = await trainLM(model, () => randomWindows(tokens, 8, 4, rng), { steps: 60, learningRate: 0.1, onProgress: () => {} });
    expect(tf.memory().numTensors).toBe(before);
    expect(history.trainLoss[59]).toBeLessThan(0.2 * (history.trainLoss[0] as number));
    expect(history.valLoss.length).toBeGreaterThan(0);
    const a = generate(model, [0], new Rng(9), { maxNewTokens: 10 });
    const b = generate(model, [0], new Rng(9), { maxNewTokens: 10 });
    expect(a).toEqual(b);
    expect(a).toEqual([2, 4, 1, 3, 0, 2, 4, 1, 3, 0]); // the cycle 0→2→4→1→3 it learned
    model.variables.forEach((v) => v.dispose());
  });
});
