import { describe, expect, it } from "vitest";
import {
  CharVocab, MLP_NAMES_RUNS, MlpLM, Rng, WordDataset, contextWindows, cosineSchedule, crossEntropy, datasetNll,
  embeddingMapSvg, generate, mlpForward, pca2, setup, tf, trainLM, wordBatches,
} from "@course/lib";

const vocab = CharVocab.fromWords(["emma", "ava", "bob"]); // . a b e m o v
const config = { vocabSize: vocab.size, blockSize: 3, embeddingSize: 4, hiddenSize: 8 };

describe("MlpLM (lesson 02)", () => {
  it("contextWindows gives each position its blockSize previous tokens, left-padded with 0", async () => {
    await setup({ seed: 1, backend: "cpu", quiet: true });
    const idx = tf.tensor2d([[5, 6, 7], [1, 2, 3]], [2, 3], "int32");
    const w = contextWindows(idx, 2);
    expect(w.shape).toEqual([2, 3, 2]);
    expect(w.arraySync()).toEqual([[[0, 5], [5, 6], [6, 7]], [[0, 1], [1, 2], [2, 3]]]);
    tf.dispose([idx, w]);
  });

  it("logits: [B, T] → [B, T, V], each position from its own window only (causal, blockSize back)", async () => {
    await setup({ seed: 1, backend: "cpu", quiet: true });
    const before = tf.memory().numTensors;
    const model = new MlpLM(config, new Rng(3));
    const a = tf.tensor2d([[0, 3, 4, 4, 1, 2]], [1, 6], "int32");
    const b = tf.tensor2d([[6, 3, 4, 4, 1, 5]], [1, 6], "int32"); // differs at t = 0 and t = 5
    const [la, lb] = [model.logits(a), model.logits(b)];
    expect(la.shape).toEqual([1, 6, vocab.size]);
    const diff = Array.from(tf.tidy(() => la.sub(lb).abs().max(2).dataSync()));
    // t = 0 … 2 see token 0; t = 3 … 4 do not (blockSize 3); t = 5 sees the change at t = 5.
    expect(diff.map((d) => d > 1e-6)).toEqual([true, true, true, false, false, true]);
    const windows = tf.tensor2d([[0, 0, 0], [0, 0, 3], [3, 4, 4]], [3, 3], "int32");
    const direct = mlpForward(model.params, windows);
    const picked = tf.tidy(() => tf.gather(la.reshape([6, vocab.size]), [0, 1, 3]));
    expect(tf.tidy(() => picked.sub(direct).abs().max().dataSync()[0])).toBeLessThan(1e-6);
    tf.dispose([a, b, la, lb, windows, direct, picked]);
    model.dispose();
    expect(tf.memory().numTensors, "tensors left after dispose()").toBe(before);
  });

  it("starts near the uniform loss log V, and two models can live side by side", async () => {
    await setup({ seed: 1, backend: "cpu", quiet: true });
    const [m1, m2] = [new MlpLM(config, new Rng(1)), new MlpLM(config, new Rng(1))];
    const { x, y } = new WordDataset(["emma", "ava", "bob"], vocab).rows([0, 1, 2]);
    const loss = crossEntropy(m1.logits(x), y).dataSync()[0] as number;
    expect(Math.abs(loss - Math.log(vocab.size))).toBeLessThan(0.05);
    expect(m1.params.C.dataSync()).toEqual(m2.params.C.dataSync()); // same seed, same numbers
    expect(() => new MlpLM({ ...config, blockSize: 0 }, new Rng(1))).toThrow(/blockSize must be an integer ≥ 1, got 0/);
    tf.dispose([x, y]);
    m1.dispose();
    m2.dispose();
  });
});

describe("WordDataset and datasetNll", () => {
  it("lays words out as makemore does: x starts with 0, y ends with 0 then −1 padding", async () => {
    await setup({ seed: 1, backend: "cpu", quiet: true });
    const data = new WordDataset(["emma", "ava"], vocab);
    expect(data.rowLength).toBe(5);
    expect(data.tokenCount).toBe(5 + 4);
    const { x, y } = data.rows([1]); // cropped to "ava" + end
    expect(x.arraySync()).toEqual([[0, 1, 6, 1]]);
    expect(y.arraySync()).toEqual([[1, 6, 1, 0]]);
    const both = data.rows([1, 0]);
    expect(both.y.arraySync()).toEqual([[1, 6, 1, 0, -1], [3, 4, 4, 1, 0]]);
    expect(() => new WordDataset(["emma"], vocab, 4)).toThrow(/needs rows of 5 tokens; rowLength is 4/);
    tf.dispose([x, y, both.x, both.y]);
  });

  it("datasetNll is the token-weighted mean over every word, whatever the batch size", async () => {
    await setup({ seed: 1, backend: "cpu", quiet: true });
    const words = ["emma", "ava", "bob", "mo", "abbavomme"];
    const data = new WordDataset(words, vocab);
    const model = new MlpLM(config, new Rng(5));
    const all = data.rows([0, 1, 2, 3, 4]);
    const want = crossEntropy(model.logits(all.x), all.y).dataSync()[0] as number;
    expect(await datasetNll(model, data, 2)).toBeCloseTo(want, 5);
    expect(await datasetNll(model, data, 512)).toBeCloseTo(want, 5);
    tf.dispose([all.x, all.y]);
    model.dispose();
  });

  it("trains with trainLM on word batches, generates with the boundary as context, leaks nothing", async () => {
    await setup({ seed: 1, backend: "cpu", quiet: true });
    const words = ["emma", "ava", "bob", "abba", "mmm"];
    const data = new WordDataset(words, vocab);
    const model = new MlpLM(config, new Rng(2));
    const before = tf.memory().numTensors;
    const history = await trainLM(model, wordBatches(data, data, 8, new Rng(3)), { steps: 150, learningRate: cosineSchedule(0.03, 0.003, 150), onProgress: () => {} });
    expect(tf.memory().numTensors).toBe(before);
    expect(await datasetNll(model, data)).toBeLessThan(0.7);
    expect(history.trainLoss[0]).toBeGreaterThan(1.8);
    const ids = generate(model, [0], new Rng(4), { maxNewTokens: 12, temperature: 0.1, stopToken: 0 });
    expect(words).toContain(vocab.decode(ids));
    model.dispose();
  });
});

describe("lesson 02 helpers", () => {
  it("cosineSchedule: warm-up, peak, half-way, final", () => {
    const lr = cosineSchedule(1, 0.1, 110, 10);
    expect(lr(0)).toBeCloseTo(0.1, 9);
    expect(lr(9)).toBeCloseTo(1, 9);
    expect(lr(10)).toBeCloseTo(1, 9);
    expect(lr(60)).toBeCloseTo(0.55, 9);
    expect(lr(110)).toBeCloseTo(0.1, 9);
    expect(lr(500)).toBeCloseTo(0.1, 9);
    expect(() => cosineSchedule(1, 2, 10)).toThrow(/0 ≤ final ≤ peak/);
  });

  it("pca2 finds the direction of largest spread; embeddingMapSvg escapes labels", () => {
    const rows = [-2, -1, 0, 1, 2].map((t) => [t, 2 * t, 0.01 * t * t]); // nearly a line along (1, 2, 0)
    const pts = pca2(rows);
    expect(pts.map((p) => p[0] / Math.sqrt(5))).toEqual([-2, -1, 0, 1, 2].map((t) => expect.closeTo(t, 3)));
    expect(Math.max(...pts.map((p) => Math.abs(p[1])))).toBeLessThan(0.05);
    const svg = embeddingMapSvg(pts, ["<", "a", "b", "c", "&"], { title: "t", highlight: ["a"] });
    expect(svg).toMatch(/^<svg /);
    expect(svg).toContain("&lt;");
    expect(svg).toContain("&amp;");
    expect(() => embeddingMapSvg(pts, ["a"])).toThrow(/5 points but 1 labels/);
  });

  it("the presets: smoke is small, full is the run the README reports", () => {
    expect(MLP_NAMES_RUNS.smoke.steps).toBeLessThan(100);
    expect(MLP_NAMES_RUNS.full.steps).toBeGreaterThanOrEqual(1000);
  });
});
