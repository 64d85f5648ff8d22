import { describe, expect } from "vitest";
import { exercisesOf, expectClose, graded, probe, probeTargetOnly } from "../harness/index.ts";

const probes = new URL("../probes/12-responsible.ts", import.meta.url);
const ex = exercisesOf("12", "notebooks/12-responsible.ipynb");

const green = ex("green-list", 2, "3. The green list");
const z = ex("z-score", 2, "4. Detecting the watermark: the z-test");
const roc = ex("roc-auc", 2, "6. ROC and AUC");
const extraction = ex("extraction", 2, "8. Memorised text: the extraction test");
const bias = ex("bias-ratio", 2, "10. Bias: whose names?");

type Green = { lists: number[][]; library: number[][]; sizes: number[]; expectedSize: number; otherKey: number[] };
type Z = { greenRandom: number; greenMarked: number; libraryRandom: number; z: number; libraryZ: number; zMarked: number; zChance: number };
type Roc = { auc: number; library: number; swapped: number; perfect: number; ties: number; tiny: number };
type Extraction = { rate: number; library: number; exact: number; none: number };
type Bias = { ratio: number; library: number; same: number; tiny: number };

describe("lesson 12: responsible generative AI", () => {
  graded(green, "green lists for seeded (key, previous token) pairs match the reference", async () => {
    const r = await probe<Green>("12", probes, "greenList", { V: 90, key: 1234, gamma: 0.25, prevs: [0, 7, 42, 89] });
    expect(r.actual.lists, "greenList(prev, 90, 1234, 0.25) for prev = 0, 7, 42, 89").toEqual(r.expected.lists);
  });
  graded(green, "equals the library's greenList, has round(γV) green ids, and changes with the key", async () => {
    const r = await probeTargetOnly<Green>("12", probes, "greenList", { V: 50, key: 99, gamma: 0.3, prevs: [3, 4, 17] });
    expect(r.actual.lists, "greenList vs the library's greenList").toEqual(r.actual.library);
    expect(r.actual.sizes, "green ids per list").toEqual([r.actual.expectedSize, r.actual.expectedSize, r.actual.expectedSize]);
    expect(r.actual.otherKey, "the list after the same token with another key").not.toEqual(r.actual.lists[0]);
  });

  graded(z, "green counts and z on seeded token sequences match the reference", async () => {
    const r = await probe<Z>("12", probes, "zScore", { n: 300, V: 60, key: 5, gamma: 0.25, seed: 8 });
    expectClose(r.actual, r.expected, { rtol: 1e-9, atol: 1e-9, what: "countGreen and zScore" });
  });
  graded(z, "counts like the library (repeats included), random text stays near 0, all-green text scores far above 4", async () => {
    const r = await probeTargetOnly<Z>("12", probes, "zScore", { n: 200, V: 40, key: 77, gamma: 0.5, seed: 3 });
    expect(r.actual.greenRandom, "countGreen vs the library's detectWatermark(…, false).green").toBe(r.actual.libraryRandom);
    expect(r.actual.greenMarked, "every token of an all-green text is green").toBe(199);
    expectClose(r.actual.z, r.actual.libraryZ, { rtol: 1e-12, atol: 1e-12, what: "zScore(30, 100, 0.25) vs the library's watermarkZ" });
    expectClose(r.actual.zChance, 0, { rtol: 0, atol: 1e-12, what: "z when green = γT" });
    expect(r.actual.zMarked, "z of an all-green text of 199 scored tokens").toBeGreaterThan(4);
  });

  graded(roc, "AUC of seeded scores with ties matches the reference", async () => {
    const r = await probe<Roc>("12", probes, "rocAuc", { n: 40, seed: 4, shift: 0.8 });
    expectClose(r.actual, r.expected, { rtol: 1e-12, atol: 1e-12, what: "rocAuc(positives, negatives)" });
  });
  graded(roc, "equals the library's auc; swapping the classes gives 1 − AUC; ties count ½", async () => {
    const r = await probeTargetOnly<Roc>("12", probes, "rocAuc", { n: 31, seed: 10, shift: 1.2 });
    expectClose(r.actual.auc, r.actual.library, { rtol: 1e-12, atol: 1e-12, what: "rocAuc vs the library's auc" });
    expectClose(r.actual.swapped, 1 - r.actual.auc, { rtol: 1e-12, atol: 1e-12, what: "rocAuc(negatives, positives)" });
    expect(r.actual.perfect, "positives all above negatives").toBe(1);
    expect(r.actual.ties, "all scores equal").toBe(0.5);
    expectClose(r.actual.tiny, 4.5 / 6, { rtol: 1e-12, atol: 1e-12, what: "rocAuc([0.9, 0.4], [0.5, 0.1, 0.4]): 3 + 1.5 of 6 pairs" });
  });

  graded(extraction, "extraction rate of seeded continuations matches the reference", async () => {
    const r = await probe<Extraction>("12", probes, "extraction", { n: 30, len: 12, seed: 2 });
    expectClose(r.actual, r.expected, { rtol: 0, atol: 1e-12, what: "extractionRate(continuations, truths)" });
  });
  graded(extraction, "equals the library's; longer continuations count, a wrong last token or a short one does not", async () => {
    const r = await probeTargetOnly<Extraction>("12", probes, "extraction", { n: 31, len: 8, seed: 6 });
    expectClose(r.actual.rate, r.actual.library, { rtol: 0, atol: 1e-12, what: "extractionRate vs the library's" });
    expectClose(r.actual.rate, 11 / 31, { rtol: 0, atol: 1e-12, what: "11 of 31 continuations start with their truth" });
    expect(r.actual.exact, "truths against themselves").toBe(1);
    expect(r.actual.none, "every token changed").toBe(0);
  });

  graded(bias, "bias ratio of seeded name samples matches the reference", async () => {
    const r = await probe<Bias>("12", probes, "biasRatio", { seed: 1 });
    expectClose(r.actual, r.expected, { rtol: 1e-12, atol: 1e-12, what: "biasRatio(generated, training, female, male)" });
  });
  graded(bias, "equals the library's; 1 for the training names themselves; names in both lists or neither do not count", async () => {
    const r = await probeTargetOnly<Bias>("12", probes, "biasRatio", { seed: 9 });
    expectClose(r.actual.ratio, r.actual.library, { rtol: 1e-12, atol: 1e-12, what: "biasRatio vs the library's" });
    expectClose(r.actual.same, 1, { rtol: 1e-12, atol: 1e-12, what: "biasRatio(training, training, …)" });
    expectClose(r.actual.tiny, 1.5, { rtol: 1e-12, atol: 1e-12, what: "(3/4) / (1/2)" });
  });
});
