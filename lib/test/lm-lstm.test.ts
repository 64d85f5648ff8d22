import { describe, expect, it } from "vitest";
import {
  LSTM_MOBY_RUNS, LstmLM, Rng, TbpttLM, TbpttStreams, bigramCountsNll, bitsPerChar, cosineSchedule, crossEntropy,
  generate, generateLstm, lstmCell, lstmGates, lstmUnroll, setup, streamNll, tbpttBatches, tf, trainLM, zeroState,
} from "@course/lib";

const config = { vocabSize: 7, blockSize: 6, embeddingSize: 3, hiddenSize: 4 };
const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => a.sub(b).abs().max().dataSync()[0] as number);

describe("LstmLM (lesson 03)", () => {
  it("lstmGates: c' = f·c + i·g, h' = o·tanh(c'), gates in the order i, f, g, o", async () => {
    await setup({ seed: 1, backend: "cpu", quiet: true });
    const sig = (v: number) => 1 / (1 + Math.exp(-v));
    const z = tf.tensor2d([[0.3, -1, 2, 0.5]], [1, 4]), c = tf.tensor2d([[0.7]], [1, 1]);
    const s = lstmGates(z, c);
    const cWant = sig(-1) * 0.7 + sig(0.3) * Math.tanh(2);
    expect(s.c.dataSync()[0]).toBeCloseTo(cWant, 6);
    expect(s.h.dataSync()[0]).toBeCloseTo(sig(0.5) * Math.tanh(cWant), 6);
    // f = 1, i = 0: the cell state passes unchanged.
    const keep = lstmGates(tf.tensor2d([[-1000, 1000, 3, 0]], [1, 4]), c);
    expect(keep.c.dataSync()[0]).toBeCloseTo(0.7, 7);
    tf.dispose([z, c, s.h, s.c, keep.h, keep.c]);
  });

  it("lstmUnroll equals lstmCell step by step; run() in two halves with the carried state equals one run", async () => {
    await setup({ seed: 1, backend: "cpu", quiet: true });
    const before = tf.memory().numTensors;
    const model = new LstmLM(config, new Rng(3));
    const idx = tf.tensor2d([[1, 2, 3, 4, 5, 6], [6, 5, 4, 3, 2, 1]], [2, 6], "int32");
    const emb = tf.gather(model.params.C as tf.Tensor, idx) as tf.Tensor3D; // [2, 6, 3]
    const start = zeroState(2, 4);
    const unrolled = lstmUnroll(model.params, emb, start);
    let s = start;
    for (let t = 0; t < 6; t++) {
      const xt = tf.tidy(() => emb.slice([0, t, 0], [2, 1, 3]).reshape([2, 3]) as tf.Tensor2D); // [B, E]
      const ht = tf.tidy(() => unrolled.hs.slice([0, t, 0], [2, 1, 4]).reshape([2, 4])); // [B, H]
      const next = lstmCell(model.params, xt, s);
      expect(maxDiff(ht, next.h)).toBeLessThan(1e-6);
      tf.dispose([xt, ht]);
      if (s !== start) tf.dispose([s.h, s.c]);
      s = next;
    }
    expect(maxDiff(unrolled.state.c, s.c)).toBeLessThan(1e-6);
    const whole = model.run(idx);
    const [head, tail] = [idx.slice([0, 0], [2, 2]), idx.slice([0, 2], [2, 4])];
    const first = model.run(head);
    const second = model.run(tail, first.state);
    const joined = tf.concat([first.logits, second.logits], 1);
    expect(joined.shape).toEqual([2, 6, 7]);
    expect(maxDiff(joined, whole.logits)).toBeLessThan(1e-5);
    tf.dispose([idx, head, tail, emb, start.h, start.c, unrolled.hs, unrolled.state.h, unrolled.state.c, s.h, s.c, joined]);
    for (const r of [whole, first, second]) tf.dispose([r.logits, r.state.h, r.state.c]);
    model.dispose();
    expect(tf.memory().numTensors, "tensors left after dispose()").toBe(before);
  });

  it("is causal, starts near log V, and two seeded models are equal", async () => {
    await setup({ seed: 1, backend: "cpu", quiet: true });
    const [m1, m2] = [new LstmLM(config, new Rng(1)), new LstmLM(config, new Rng(1))];
    const a = tf.tensor2d([[1, 2, 3, 4, 5]], [1, 5], "int32"), b = tf.tensor2d([[1, 2, 6, 4, 5]], [1, 5], "int32");
    const [la, lb] = [m1.logits(a), m1.logits(b)];
    const diff = Array.from(tf.tidy(() => la.sub(lb).abs().max(2).dataSync()));
    expect(diff.map((d) => d > 1e-7)).toEqual([false, false, true, true, true]);
    const loss = crossEntropy(la, b).dataSync()[0] as number;
    expect(Math.abs(loss - Math.log(7))).toBeLessThan(0.05);
    expect(m1.params.W.dataSync()).toEqual(m2.params.W.dataSync());
    expect(Array.from(m1.params.b.dataSync())).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(() => new LstmLM({ ...config, hiddenSize: 0 }, new Rng(1))).toThrow(/hiddenSize must be an integer ≥ 1, got 0/);
    tf.dispose([a, b, la, lb]);
    m1.dispose();
    m2.dispose();
  });
});

describe("truncated BPTT", () => {
  it("TbpttStreams: rows continue across batches and read the text as a ring", () => {
    const tokens = Int32Array.from({ length: 20 }, (_, i) => i);
    const streams = new TbpttStreams(tokens, 2, 3); // spacing 10
    const b0 = streams.next(), b1 = streams.next();
    expect(b0.x.arraySync()).toEqual([[0, 1, 2], [10, 11, 12]]);
    expect(b0.y.arraySync()).toEqual([[1, 2, 3], [11, 12, 13]]);
    expect(b1.x.arraySync()).toEqual([[3, 4, 5], [13, 14, 15]]);
    const b3 = streams.batchAt(3);
    expect(b3.x.arraySync()).toEqual([[9, 10, 11], [19, 0, 1]]);
    expect(b3.y.arraySync()).toEqual([[10, 11, 12], [0, 1, 2]]);
    expect(() => new TbpttStreams(tokens, 8, 3)).toThrow(/too few for 8 streams/);
    tf.dispose([b0.x, b0.y, b1.x, b1.y, b3.x, b3.y]);
  });

  it("TbpttLM learns a periodic text through trainLM and frees its states", async () => {
    await setup({ seed: 1, backend: "cpu", quiet: true });
    const tokens = Int32Array.from({ length: 600 }, (_, i) => [1, 2, 3, 1, 4, 5][i % 6] as number);
    const model = new LstmLM({ ...config, blockSize: 8, hiddenSize: 16 }, new Rng(2));
    const tbptt = new TbpttLM(model);
    const before = tf.memory().numTensors;
    const batches = tbpttBatches(new TbpttStreams(tokens, 4, 8), new TbpttStreams(tokens, 2, 8));
    const history = await trainLM(tbptt, batches, { steps: 120, learningRate: cosineSchedule(0.03, 0.003, 120), evalBatches: 2, onProgress: () => {} });
    // Left: the carried training and validation states, and the one the last call started from.
    expect(tf.memory().numTensors - before, "only carried states (h, c each) remain").toBeLessThanOrEqual(6);
    tbptt.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(history.trainLoss[0]).toBeGreaterThan(1.5);
    // After "1" comes 2 or 4: only memory of the token before tells which. The exact loss shows it.
    expect(await streamNll(model, tokens.subarray(0, 120), 2, 16)).toBeLessThan(0.1);
    const ids = generateLstm(model, [1, 2, 3], new Rng(4), { maxNewTokens: 9, temperature: 0.1 });
    expect(ids).toEqual([1, 4, 5, 1, 2, 3, 1, 4, 5]);
    model.dispose();
  });

  it("streamNll with one stream is the exact loss of the whole sequence; generateLstm draws what generate draws", async () => {
    await setup({ seed: 1, backend: "cpu", quiet: true });
    const model = new LstmLM({ ...config, blockSize: 64 }, new Rng(5));
    const draw = new Rng(1);
    tf.tidy(() => model.params.Wout.assign(tf.tensor2d(Array.from({ length: 28 }, () => 2 * draw.normal()), [4, 7])));
    const tokens = Int32Array.from({ length: 23 }, (_, i) => (i * 5) % 7);
    const x = tf.tensor2d(tokens.slice(0, 22), [1, 22], "int32"), y = tf.tensor2d(tokens.slice(1), [1, 22], "int32");
    const want = tf.tidy(() => crossEntropy(model.logits(x), y).dataSync()[0] as number);
    expect(await streamNll(model, tokens, 1, 5)).toBeCloseTo(want, 5);
    expect(await streamNll(model, tokens, 3, 4)).toBeGreaterThan(0);
    const before = tf.memory().numTensors;
    const mine = generateLstm(model, [1, 2], new Rng(9), { maxNewTokens: 20 });
    expect(tf.memory().numTensors).toBe(before);
    expect(mine).toEqual(generate(model, [1, 2], new Rng(9), { maxNewTokens: 20 }));
    tf.dispose([x, y]);
    model.dispose();
  });

  it("bigramCountsNll and bitsPerChar", () => {
    const train = Int32Array.from([1, 2, 1, 2, 1, 2]), val = Int32Array.from([1, 2, 1]);
    // V = 3, α = 1: row 1 has counts (1, 1, 4) → p(2|1) = 4/6; row 2 has (1, 3, 1) → p(1|2) = 3/5.
    expect(bigramCountsNll(train, val, 3)).toBeCloseTo(-(Math.log(4 / 6) + Math.log(3 / 5)) / 2, 12);
    expect(bigramCountsNll(train, val, 3, 1e9)).toBeCloseTo(Math.log(3), 6);
    expect(bitsPerChar(Math.LN2)).toBe(1);
  });

  it("the presets: smoke is small, full is the run the README reports", () => {
    expect(LSTM_MOBY_RUNS.smoke.steps).toBeLessThan(100);
    expect(LSTM_MOBY_RUNS.full.steps).toBeGreaterThanOrEqual(500);
  });
});
