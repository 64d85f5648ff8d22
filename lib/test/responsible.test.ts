import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  CharVocab, GptLM, type LanguageModel, Rng, auc, biasRatio, detectWatermark, editTokens, energyReport, extractionRate, extractionTest,
  femaleShare, generateBatch, gptForwardFlopsPerToken, gptTrainFlopsPerStep, greenList, greenSize, isExtracted, loadPretrainedGpt,
  nameSide, nameSideClassifier, perturb, raplJoules, rocCurve, savePretrainedGpt, seeds, setup, tf, tokenNll, watermarkExperiment,
  watermarkZ, windowStarts,
} from "@course/lib";

beforeAll(async () => {
  await setup({ seed: 0, quiet: true });
});

/** A model that always expects the next id up (mod V): logits 10 at (t + 1) mod V. */
function countingModel(V: number): LanguageModel {
  return {
    name: "counting", blockSize: 8, vocabSize: V, variables: [],
    logits: (idx) => tf.tidy(() => tf.mul(tf.oneHot(tf.cast(tf.mod(tf.add(idx, 1), V), "int32") as tf.Tensor2D, V), 10) as tf.Tensor3D),
  };
}

describe("green-list watermark", () => {
  it("green lists hold round(γV) ids, depend on the previous token and the key, and are green γ of the time overall", () => {
    const V = 90, g = greenList(7, V, 1, 0.25);
    expect(g.reduce((a, b) => a + b, 0)).toBe(greenSize(V, 0.25));
    expect(greenSize(90, 0.25)).toBe(23);
    expect(Array.from(greenList(7, V, 1, 0.25))).toEqual(Array.from(g));
    expect(Array.from(greenList(8, V, 1, 0.25))).not.toEqual(Array.from(g));
    expect(Array.from(greenList(7, V, 2, 0.25))).not.toEqual(Array.from(g));
    let green = 0;
    for (let prev = 0; prev < V; prev++) green += greenList(prev, V, 3, 0.25)[0]!;
    expect(green / V).toBeGreaterThan(0.1);
    expect(green / V).toBeLessThan(0.45);
    expect(() => greenSize(V, 1)).toThrow(/gamma must be in \(0, 1\)/);
  });

  it("z is 0 at γT and grows with the green count; random text stays below 4, an all-green text does not", () => {
    expect(watermarkZ(25, 100, 0.25)).toBeCloseTo(0, 12);
    expect(watermarkZ(40, 100, 0.25)).toBeCloseTo(15 / Math.sqrt(18.75), 12);
    const rng = new Rng(1), V = 60, random = Array.from({ length: 400 }, () => rng.int(V));
    expect(Math.abs(detectWatermark(random, V, { key: 5, gamma: 0.25 }, false).z)).toBeLessThan(4);
    const marked = [0];
    while (marked.length < 200) {
      const list = greenList(marked[marked.length - 1]!, V, 5, 0.25);
      marked.push([...list.keys()].filter((i) => list[i])[rng.int(greenSize(V, 0.25))]!);
    }
    const all = detectWatermark(marked, V, { key: 5, gamma: 0.25 }, false), once = detectWatermark(marked, V, { key: 5, gamma: 0.25 });
    expect(all.green).toBe(199);
    expect(once.scored).toBeLessThanOrEqual(199);
    expect(once.green).toBe(once.scored);
    expect(once.z).toBeGreaterThan(4);
  });

  it("watermarked sampling from a random GPT is detected, plain sampling is not; nothing leaks", () => {
    const model = new GptLM({ vocabSize: 30, blockSize: 16, embeddingSize: 16, heads: 2, layers: 1 }, new Rng(2));
    const prompts = [[1, 2, 3], [4, 5, 6], [7, 8, 9]], wm = { key: 11, gamma: 0.25, delta: 4 };
    const before = tf.memory().numTensors;
    const marked = generateBatch(model, prompts, new Rng(3), { maxNewTokens: 120, watermark: wm });
    const plain = generateBatch(model, prompts, new Rng(3), { maxNewTokens: 120 });
    expect(tf.memory().numTensors).toBe(before);
    marked.tokens.forEach((t, i) => expect(detectWatermark([prompts[i]![2]!, ...t], 30, wm).z).toBeGreaterThan(4));
    plain.tokens.forEach((t, i) => expect(detectWatermark([prompts[i]![2]!, ...t], 30, wm).z).toBeLessThan(4));
    expect(marked.nll[0]).toBeGreaterThan(0);
    expect(() => generateBatch(model, [[1], [1, 2]], new Rng(0), { maxNewTokens: 1 })).toThrow(/equally long/);
    expect(() => generateBatch(model, prompts, null, { maxNewTokens: 1 })).toThrow(/pass one \(e\.g\. streams\.sample\), or set greedy/);
    expect(generateBatch(model, prompts, null, { maxNewTokens: 3, greedy: true }).tokens).toHaveLength(3);
    model.dispose();
  });

  it("editing changes the asked fraction of positions (never the first) to other ids; NLL of a token is −log softmax", () => {
    const tokens = Array.from({ length: 101 }, (_, i) => i % 7), edited = editTokens(tokens, 0.3, [0, 1, 2, 3, 4, 5, 6], new Rng(4));
    expect(edited.filter((t, i) => t !== tokens[i]).length).toBe(30);
    expect(edited[0]).toBe(tokens[0]);
    expect(tokenNll([0, 0, 0, 0], 2)).toBeCloseTo(Math.log(4), 12);
  });
});

describe("seeds reach lesson 12's draws", () => {
  it("watermarkExperiment: one seed repeats every draw (prompts, texts, edits), another seed changes them", () => {
    const model = new GptLM({ vocabSize: 30, blockSize: 16, embeddingSize: 16, heads: 2, layers: 1 }, seeds(9).init);
    const val = Int32Array.from({ length: 400 }, (_, i) => (i * 7 + (i >> 2)) % 30);
    const options = { samples: 3, plainSamples: 2, promptLength: 4, lengths: [20], editFractions: [0.3], humanWindows: 4, batchSize: 3 };
    const run = (seed: number) => watermarkExperiment(model, val, { key: 11, gamma: 0.25, delta: 2 }, options, seeds(seed));
    const a = run(42), b = run(42), c = run(43);
    expect(b).toEqual(a);
    expect(c.z[20]).not.toEqual(a.z[20]);
    expect(c.plainNll).not.toBe(a.plainNll);
    expect(c.edits[0]!.meanZ).not.toBe(a.edits[0]!.meanZ);
    model.dispose();
  });

  it("windowStarts and perturb draw from the stream they are given", () => {
    const starts = (seed: number) => windowStarts(1000, 50, 20, seeds(seed).eval);
    expect(starts(1)).toEqual(starts(1));
    expect(starts(2)).not.toEqual(starts(1));
    const images = tf.fill([2, 28, 28, 1], 0.5) as tf.Tensor4D;
    const noisy = (seed: number) => tf.tidy(() => Array.from(perturb(images, { kind: "noise", sigma: 0.1 }, seeds(seed).eval).dataSync()));
    expect(noisy(1)).toEqual(noisy(1));
    expect(noisy(2)).not.toEqual(noisy(1));
    images.dispose();
  });
});

describe("ROC and AUC", () => {
  it("AUC counts pairs with ties as ½; the ROC curve runs from (0, 0) to (1, 1)", () => {
    expect(auc([3, 4], [1, 2])).toBe(1);
    expect(auc([1, 2], [3, 4])).toBe(0);
    expect(auc([0.9, 0.4], [0.5, 0.1, 0.4])).toBeCloseTo(4.5 / 6, 12);
    const roc = rocCurve([0.9, 0.4], [0.5, 0.1, 0.4]);
    expect([roc.fpr[0], roc.tpr[0]]).toEqual([0, 0]);
    expect([roc.fpr.at(-1), roc.tpr.at(-1)]).toEqual([1, 1]);
    expect(roc.fpr.length).toBe(5); // +∞, 0.9, 0.5, 0.4 (tied pair together), 0.1
    expect(() => auc([], [1])).toThrow(/at least one positive/);
  });
});

describe("extraction test", () => {
  it("counts exact continuations; a model that has 'learnt' a counting text recites it and nothing else", () => {
    expect(isExtracted([1, 2, 3], [1, 2])).toBe(true);
    expect(isExtracted([1], [1, 2])).toBe(false);
    expect(extractionRate([[1, 2], [1, 3]], [[1, 2], [1, 2]])).toBe(0.5);
    const V = 10, model = countingModel(V);
    const counting = Int32Array.from({ length: 200 }, (_, i) => i % V);
    const rng = new Rng(5), random = Int32Array.from({ length: 200 }, () => rng.int(V));
    expect(extractionTest(model, counting, [0, 17, 50], 8, 12).rate).toBe(1);
    const r = extractionTest(model, random, [0, 17, 50, 90], 8, 12);
    expect(r.rate).toBe(0);
    expect(r.meanMatched).toBeLessThan(3);
  });
});

describe("bias audit", () => {
  const female = new Set(["ann", "eve", "jo"]), male = new Set(["bob", "jo", "tim"]);
  it("sorts names by list and computes shares and the ratio on one-list names only", () => {
    expect(["ann", "bob", "jo", "zed"].map((n) => nameSide(n, female, male))).toEqual(["female", "male", "both", "neither"]);
    expect(femaleShare(["ann", "eve", "bob", "jo", "zed"], female, male)).toBeCloseTo(2 / 3, 12);
    expect(biasRatio(["ann", "ann", "ann", "bob"], ["ann", "bob"], female, male)).toBeCloseTo(1.5, 12);
    expect(() => femaleShare(["jo", "zed"], female, male)).toThrow(/none of the names/);
  });
  it("the bigram classifier tells names by their letters", () => {
    const f = new Set(["anna", "hanna", "lena", "mina", "tina"]), m = new Set(["bob", "rob", "tod", "rod", "don"]);
    const classify = nameSideClassifier([...f, ...m], f, m);
    expect(classify("dina")).toBe("female");
    expect(classify("lob")).toBe("male");
  });
});

describe("energy", () => {
  it("counts GPT FLOPs from the shapes and turns time and watts into energy", () => {
    const c = { vocabSize: 10, blockSize: 4, embeddingSize: 8, heads: 2, layers: 1 };
    // per layer 2·8·24 + 2·4·8 + 2·4·8 + 2·8·8 + 2·8·32·2 = 384 + 64 + 64 + 128 + 1024; head 2·8·10
    expect(gptForwardFlopsPerToken(c)).toBe(1664 + 160);
    expect(gptTrainFlopsPerStep(c, 3)).toBe(3 * 1824 * 3 * 4);
    const e = energyReport(2e9, 4, 10);
    expect([e.gflopsPerSecond, e.joules, e.wattHours, e.method]).toEqual([0.5, 40, 40 / 3600, "assumed 10 W"]);
    expect(energyReport(1, 1, 10, 7).method).toBe("RAPL (measured)");
  });
  it("reads RAPL package counters in µJ where present", () => {
    const root = mkdtempSync(join(tmpdir(), "rapl-"));
    expect(raplJoules(root)).toBeUndefined();
    mkdirSync(join(root, "intel-rapl:0"));
    writeFileSync(join(root, "intel-rapl:0", "energy_uj"), "2500000\n");
    expect(raplJoules(root)).toBe(2.5);
  });
});

describe("pretrained GPT checkpoint", () => {
  it("the committed checkpoint loads with its vocabulary; a saved model loads back with equal logits", () => {
    const { model, vocab, training } = loadPretrainedGpt();
    expect(vocab.size).toBe(90);
    expect(model.config).toMatchObject({ vocabSize: 90, blockSize: 64, embeddingSize: 128, heads: 4, layers: 4 });
    expect(training.preset).toBe("GPT_MOBY_RUNS.full");
    model.dispose();
    const small = new GptLM({ vocabSize: 4, blockSize: 4, embeddingSize: 8, heads: 2, layers: 1 }, new Rng(6));
    const dir = mkdtempSync(join(tmpdir(), "gpt05-"));
    savePretrainedGpt(small, CharVocab.fromWords(["abc"], "\u0000").itos, { note: "test" }, dir);
    const back = loadPretrainedGpt(dir);
    const idx = tf.tensor2d([[1, 2, 3]], [1, 3], "int32");
    const a = small.logits(idx), b = back.model.logits(idx);
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    expect(back.vocab.itos.join("")).toBe("\u0000abc");
    tf.dispose([idx, a, b]);
    small.dispose();
    back.model.dispose();
  });
});
