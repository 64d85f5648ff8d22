import { describe, expect } from "vitest";
import { exercisesOf, expectClose, graded, probe, probeTargetOnly } from "../harness/index.ts";

const probes = new URL("../probes/05-gpt.ts", import.meta.url);
const ex = exercisesOf("05", "notebooks/05-gpt.ipynb");

const attention = ex("attention", 2, "3. Scaled dot-product attention");
const heads = ex("heads", 2, "4. Many heads");
const block = ex("block", 2, "5. The transformer block");

type T = { shape: number[]; dtype: string; data: number[] };

/** Rows [0, from) of every [.., T, X] slab of a flat tensor with the given shape. */
function before(t: T, from: number): number[] {
  const X = t.shape[t.shape.length - 1]!, Tn = t.shape[t.shape.length - 2]!;
  return t.data.filter((_, i) => Math.floor(i / X) % Tn < from);
}

describe("lesson 05: attention and a mini-GPT", () => {
  graded(attention, "out and weights on seeded q, k, v match the reference", async () => {
    const r = await probe<{ out: T; weights: T }>("05", probes, "attention", { shape: [2, 3, 7, 4], seed: 3 });
    expectClose(r.actual.weights, r.expected.weights, { rtol: 1e-4, atol: 1e-6, what: "causalAttention(…).weights [2, 3, 7, 7]" });
    expectClose(r.actual.out, r.expected.out, { rtol: 1e-4, atol: 1e-5, what: "causalAttention(…).out [2, 3, 7, 4]" });
  });
  graded(attention, "rows sum to 1, are 0 above the diagonal, equal the library's; no leaks", async () => {
    const r = await probeTargetOnly<{ out: T; weights: T; libraryOut: T; libraryWeights: T }>("05", probes, "attention", { shape: [1, 2, 9, 3], seed: 8 });
    const w = r.actual.weights, Tn = 9;
    expect(w.shape, "weights [B, H, T, T]").toEqual([1, 2, 9, 9]);
    for (let row = 0; row < w.data.length / Tn; row++) {
      const cells = w.data.slice(row * Tn, row * Tn + Tn), t = row % Tn;
      expect(Math.abs(cells.reduce((a, b) => a + b, 0) - 1), `row ${row} of the weights sums to 1`).toBeLessThan(1e-5);
      cells.forEach((c, s) => { if (s > t) expect(c, `weight of position ${t} on the future position ${s}`).toBe(0); });
    }
    expectClose(r.actual.out, r.actual.libraryOut, { rtol: 1e-4, atol: 1e-5, what: "out vs the library's causalAttention (scaled by √D?)" });
    expect(r.leakedTensors, "tensors left allocated by causalAttention").toBe(0);
  });
  graded(attention, "changing q, k, v at positions ≥ 4 leaves the outputs of positions 0–3 unchanged", async () => {
    const r = await probeTargetOnly<{ out: T; changedOut: T }>("05", probes, "attention", { shape: [2, 2, 8, 4], seed: 5, from: 4 });
    expectClose(before(r.actual.changedOut, 4), before(r.actual.out, 4), { rtol: 0, atol: 1e-5, what: "outputs of positions 0–3 after changing the future" });
  });

  graded(heads, "splitHeads and mergeHeads match the reference", async () => {
    const r = await probe<{ split: T; merged: T }>("05", probes, "heads", { shape: [2, 5, 12], heads: 3, seed: 4 });
    expectClose(r.actual.split, r.expected.split, { rtol: 0, atol: 0, what: "splitHeads(x [2, 5, 12], 3) → [2, 3, 5, 4]" });
    expectClose(r.actual.merged, r.expected.merged, { rtol: 0, atol: 0, what: "mergeHeads(splitHeads(x))" });
  });
  graded(heads, "mergeHeads undoes splitHeads, which equals the library's; no leaks", async () => {
    const r = await probeTargetOnly<{ split: T; merged: T; x: T; library: T }>("05", probes, "heads", { shape: [3, 4, 8], heads: 4, seed: 9 });
    expect(r.actual.split.shape, "splitHeads(x [3, 4, 8], 4)").toEqual([3, 4, 4, 2]);
    expectClose(r.actual.split, r.actual.library, { rtol: 0, atol: 0, what: "splitHeads vs the library's (head h holds channels h·D … h·D + D − 1)" });
    expectClose(r.actual.merged, r.actual.x, { rtol: 0, atol: 0, what: "mergeHeads(splitHeads(x)) vs x" });
    expect(r.leakedTensors, "tensors left allocated").toBe(0);
  });

  graded(block, "the block's output on seeded parameters matches the reference", async () => {
    const r = await probe<{ out: T }>("05", probes, "block", { B: 2, T: 6, C: 8, heads: 2, seed: 2 });
    expectClose(r.actual.out, r.expected.out, { rtol: 1e-4, atol: 1e-4, what: "blockForward(…) [2, 6, 8]" });
  });
  graded(block, "equals the library's gptBlock, is causal, and leaves no tensors behind", async () => {
    const r = await probeTargetOnly<{ out: T; library: T; changed: T }>("05", probes, "block", { B: 2, T: 7, C: 12, heads: 3, seed: 6, from: 3 });
    expectClose(r.actual.out, r.actual.library, { rtol: 1e-4, atol: 1e-4, what: "blockForward vs gptBlock (pre-norm, residuals, MLP)" });
    expectClose(before(r.actual.changed, 3), before(r.actual.out, 3), { rtol: 0, atol: 1e-4, what: "positions 0–2 after changing positions ≥ 3" });
    expect(r.leakedTensors, "tensors left allocated by blockForward").toBe(0);
  });
  graded(block, "a seeded 40-step run of a GPT built on your block reaches the reference's loss", async () => {
    const r = await probe<{ before: number; check: number; after: number }>("05", probes, "tinyRun", { steps: 40, seed: 9 }, { timeoutMs: 90_000, backend: "wasm" });
    expect(Math.abs(r.actual.check - r.expected.check), "loss of the untrained model with your blocks").toBeLessThan(1e-4);
    expect(Math.abs(r.actual.after - r.expected.after), `held-out loss after training: ${r.actual.after.toFixed(4)}, reference ${r.expected.after.toFixed(4)}`).toBeLessThan(0.02);
    expect(r.actual.after, "training should lower the loss").toBeLessThan(r.actual.before - 0.5);
    expect(r.leakedTensors, "tensors left allocated by the run").toBe(0);
  }, { timeoutMs: 150_000 });
});
