import { describe, expect, it } from "vitest";
import {
  GPT_MOBY_RUNS, GptLM, Rng, causalAttention, causalMask, crossEntropy, generate, layerNorm, mergeHeads, parameterCount,
  randomWindows, setup, splitHeads, tf, trainLM, windowNll,
} from "@course/lib";

const config = { vocabSize: 9, blockSize: 8, embeddingSize: 8, heads: 2, layers: 2 };
const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => a.sub(b).abs().max().dataSync()[0] as number);

describe("GptLM (lesson 05)", () => {
  it("causalAttention: rows sum to 1, zero above the diagonal, equal to a direct computation", async () => {
    await setup({ seed: 1, backend: "cpu", quiet: true });
    const rng = new Rng(2);
    const r4 = () => tf.tensor4d(Array.from({ length: 2 * 2 * 5 * 3 }, () => rng.normal()), [2, 2, 5, 3]);
    const [q, k, v] = [r4(), r4(), r4()];
    const { out, weights } = causalAttention(q, k, v);
    const w = weights.arraySync()[1][0];
    w.forEach((row, t) => {
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      row.forEach((x, s) => { if (s > t) expect(x).toBe(0); });
    });
    const direct = tf.tidy(() => tf.matMul(tf.softmax(tf.matMul(q, k, false, true).div(Math.sqrt(3)).add(causalMask(5))), v));
    expect(maxDiff(out, direct)).toBeLessThan(1e-5);
    tf.dispose([q, k, v, out, weights, direct]);
  });

  it("splitHeads/mergeHeads round-trip; layerNorm gives mean 0 and variance 1", async () => {
    await setup({ seed: 1, backend: "cpu", quiet: true });
    const x = tf.tensor3d(Array.from({ length: 2 * 3 * 6 }, (_, i) => i), [2, 3, 6]);
    const s = splitHeads(x, 3);
    expect(s.shape).toEqual([2, 3, 3, 2]);
    expect(Array.from(s.slice([0, 1, 0, 0], [1, 1, 1, 2]).dataSync())).toEqual([2, 3]);
    const back = mergeHeads(s);
    expect(maxDiff(back, x)).toBe(0);
    const n = layerNorm(tf.tensor2d([[1, 2, 3, 4], [-2, 0, 2, 8]]), tf.ones([4]) as tf.Tensor1D, tf.zeros([4]) as tf.Tensor1D);
    const { mean, variance } = tf.moments(n, -1);
    expect(Math.max(...Array.from(mean.dataSync()).map(Math.abs))).toBeLessThan(1e-5);
    Array.from(variance.dataSync()).forEach((vr) => expect(vr).toBeCloseTo(1, 3));
    tf.dispose([x, s, back, n, mean, variance]);
  });

  it("is causal, seeded, starts near log V, and its attention maps have one [B, H, T, T] per layer", async () => {
    await setup({ seed: 1, backend: "cpu", quiet: true });
    const before = tf.memory().numTensors;
    const model = new GptLM(config, new Rng(3)), again = new GptLM(config, new Rng(3));
    expect(parameterCount(model)).toBe(parameterCount(again));
    const a = tf.tensor2d([[1, 2, 3, 4, 5, 6, 7, 8]], [1, 8], "int32"), b = tf.tensor2d([[1, 2, 3, 4, 8, 8, 8, 8]], [1, 8], "int32");
    const la = model.logits(a), lb = model.logits(b), la2 = again.logits(a);
    expect(la.shape).toEqual([1, 8, 9]);
    expect(tf.tidy(() => maxDiff(la.slice([0, 0, 0], [1, 4, 9]), lb.slice([0, 0, 0], [1, 4, 9])))).toBeLessThan(1e-6); // positions 0–3 ignore 4–7
    expect(maxDiff(la, lb)).toBeGreaterThan(1e-6);
    expect(maxDiff(la, la2)).toBe(0);
    const loss = crossEntropy(la, b);
    expect(Math.abs(loss.dataSync()[0]! - Math.log(9))).toBeLessThan(0.1);
    const maps = model.attention(a);
    expect(maps.map((m) => m.shape)).toEqual([[1, 2, 8, 8], [1, 2, 8, 8]]);
    tf.dispose([a, b, la, lb, la2, loss, ...maps]);
    model.dispose();
    again.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const long = tf.tensor2d([Array(9).fill(1)], [1, 9], "int32");
    expect(() => new GptLM(config, new Rng(3)).logits(long)).toThrow(/blockSize/);
  });

  it("trains: loss falls on a repeating text, windowNll is exact, generate works; presets are consistent", async () => {
    await setup({ seed: 1, backend: "cpu", quiet: true });
    const tokens = Int32Array.from({ length: 400 }, (_, i) => 1 + (i % 5));
    const model = new GptLM(config, new Rng(4));
    const start = await windowNll(model, tokens, 8);
    const rng = new Rng(5);
    await trainLM(model, () => randomWindows(tokens, 8, 8, rng), { steps: 60, learningRate: 1e-2, evalEvery: 60, evalBatches: 1, onProgress: () => {} });
    const end = await windowNll(model, tokens, 8);
    expect(end).toBeLessThan(start - 1);
    const direct = tf.tidy(() => crossEntropy(model.logits(tf.tensor2d(tokens.slice(0, 64), [8, 8], "int32")), tf.tensor2d(tokens.slice(1, 65), [8, 8], "int32")).dataSync()[0]!);
    expect(end).toBeCloseTo(direct, 5);
    expect(generate(model, [1, 2], new Rng(6), { maxNewTokens: 10, temperature: 0.5 }).length).toBe(10);
    model.dispose();
    for (const run of [GPT_MOBY_RUNS.smoke, GPT_MOBY_RUNS.full]) expect(run.model.embeddingSize % run.model.heads).toBe(0);
  });
});
