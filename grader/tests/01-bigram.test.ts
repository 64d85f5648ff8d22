import { describe, expect } from "vitest";
import { exercisesOf, expectClose, graded, probe, probeTargetOnly } from "../harness/index.ts";

const probes = new URL("../probes/01-bigram.ts", import.meta.url);
const ex = exercisesOf("01", "notebooks/01-bigram.ipynb");

const counts = ex("bigram-counts", 2, "2. Counting pairs");
const probs = ex("bigram-probs", 2, "3. From counts to probabilities");
const temp = ex("temperature", 2, "4. Sampling names, and temperature");
const sample = ex("sample-name", 2, "4. Sampling names, and temperature");
const nll = ex("nll", 2, "5. How good is the model? Likelihood");

type T = { shape: number[]; dtype: string; data: number[] };

describe("lesson 01: bigram language model", () => {
  graded(counts, "counts of a few names match the reference", async () => {
    const r = await probe("01", probes, "counts", { set: "small" });
    expectClose(r.actual, r.expected, { what: "bigramCounts(8 names)" });
  });
  graded(counts, "counts over the training names add up: Σ N = Σ (len + 1)", async () => {
    const r = await probe<T>("01", probes, "counts", { set: "train" });
    expectClose(r.actual, r.expected, { what: "bigramCounts(train split)" });
    const total = r.actual.data.reduce((a, b) => a + b, 0);
    expect(total, "every name of n letters gives n + 1 pairs").toBe(r.expected.data.reduce((a, b) => a + b, 0));
  });
  graded(probs, "(N + α) / row sum matches the reference for α = 1, 0.1 and 0", async () => {
    for (const alpha of [1, 0.1, 0]) {
      const r = await probe("01", probes, "probs", { V: 9, alpha, seed: 5 });
      expectClose(r.actual, r.expected, { what: `bigramProbs(α = ${alpha})` });
    }
  });
  graded(probs, "every row of P is a distribution and no tensor leaks", async () => {
    const r = await probeTargetOnly<T>("01", probes, "probs", { V: 12, alpha: 0.5, seed: 9 });
    expect(r.actual.shape).toEqual([12, 12]);
    for (let a = 0; a < 12; a++) {
      const row = r.actual.data.slice(a * 12, a * 12 + 12);
      expect(Math.min(...row), `row ${a} has a probability ≤ 0 despite α > 0`).toBeGreaterThan(0);
      expect(row.reduce((s, v) => s + v, 0), `row ${a} sums`).toBeCloseTo(1, 5);
    }
    expect(r.leakedTensors, "tensors left allocated by bigramProbs").toBe(0);
  });
  graded(temp, "temperature 0.5, 1 and 2 match the reference", async () => {
    for (const temperature of [0.5, 1, 2]) {
      const r = await probe("01", probes, "temperature", { temperature });
      expectClose(r.actual, r.expected, { rtol: 1e-4, atol: 1e-6, what: `applyTemperature(T = ${temperature})` });
    }
  });
  graded(temp, "a temperature ≤ 0 is refused with an error", async () => {
    for (const temperature of [0, -1]) {
      const r = await probeTargetOnly<{ threw: boolean }>("01", probes, "badTemperature", { temperature });
      expect(r.actual.threw, `applyTemperature(p, ${temperature}) should throw`).toBe(true);
    }
  });
  graded(sample, "seeded names equal the reference's, at T = 1 and T = 0.5", async () => {
    for (const temperature of [1, 0.5]) {
      const r = await probe<string[]>("01", probes, "sample", { count: 12, temperature, seed: 7 });
      expect(r.actual, `12 names from Rng(7) at T = ${temperature}`).toEqual(r.expected);
    }
  });
  graded(nll, "mean NLL on held-out names matches the reference", async () => {
    const r = await probe("01", probes, "nll", { fit: "train", score: "val" });
    expectClose(r.actual, r.expected, { rtol: 1e-5, what: "meanNll(val split)" });
  });
  graded(nll, "a uniform model scores exactly log V", async () => {
    const r = await probeTargetOnly<{ nll: number; V: number }>("01", probes, "nll", { fit: "small", score: "small", uniform: true });
    expect(r.actual.nll).toBeCloseTo(Math.log(r.actual.V), 5);
  });
});
