import { describe, expect } from "vitest";
import { exercisesOf, expectClose, graded, probe, probeTargetOnly } from "../harness/index.ts";

const probes = new URL("../probes/03-lstm.ts", import.meta.url);
const ex = exercisesOf("03", "notebooks/03-lstm.ipynb");

const cell = ex("lstm-cell", 2, "3. The LSTM cell");
const unroll = ex("unroll", 2, "4. Unrolling over time");
const batch = ex("tbptt-batch", 2, "5. Truncated backpropagation through time");
const step = ex("tbptt-step", 2, "6. Training with carried state");
const sample = ex("sample", 2, "7. Sampling, one character at a time");

type T = { shape: number[]; dtype: string; data: number[] };
type Pair = { x: T; y: T; libraryX: T; libraryY: T };

describe("lesson 03: char-LSTM", () => {
  graded(cell, "h and c of one step on seeded inputs match the reference", async () => {
    const r = await probe<{ h: T; c: T }>("03", probes, "cell", { B: 4, seed: 3 });
    expectClose(r.actual.h, r.expected.h, { rtol: 1e-4, atol: 1e-6, what: "lstmCell(…).h [4, 6]" });
    expectClose(r.actual.c, r.expected.c, { rtol: 1e-4, atol: 1e-6, what: "lstmCell(…).c [4, 6]" });
  });
  graded(cell, "equals the library's lstmCell, with state shapes [B, H], and leaves no tensors behind", async () => {
    const r = await probeTargetOnly<{ h: T; c: T; libraryH: T; libraryC: T }>("03", probes, "cell", { B: 7, seed: 8 });
    expect(r.actual.h.shape, "h' of 7 rows, H = 6").toEqual([7, 6]);
    expect(r.actual.c.shape, "c' of 7 rows, H = 6").toEqual([7, 6]);
    expectClose(r.actual.h, r.actual.libraryH, { rtol: 1e-4, atol: 1e-6, what: "h' vs the library's lstmCell (gate order i, f, g, o?)" });
    expectClose(r.actual.c, r.actual.libraryC, { rtol: 1e-4, atol: 1e-6, what: "c' vs the library's lstmCell" });
    expect(r.leakedTensors, "tensors left allocated by lstmCell").toBe(0);
  });
  graded(cell, "forget gate 1 and input gate 0 keep the cell state exactly", async () => {
    const r = await probeTargetOnly<{ c: T; cBefore: T }>("03", probes, "cell", { B: 5, seed: 4, keep: true });
    expectClose(r.actual.c, r.actual.cBefore, { rtol: 0, atol: 1e-6, what: "c' with f = 1, i = 0 vs c" });
  });

  graded(unroll, "logits and final state over 9 steps match the reference", async () => {
    const r = await probe<{ logits: T; h: T; c: T }>("03", probes, "unroll", { B: 3, T: 9, seed: 5 });
    expectClose(r.actual.logits, r.expected.logits, { rtol: 1e-4, atol: 1e-5, what: "lstmForward(…).logits [3, 9, 11]" });
    expectClose(r.actual.h, r.expected.h, { rtol: 1e-4, atol: 1e-5, what: "final h" });
    expectClose(r.actual.c, r.expected.c, { rtol: 1e-4, atol: 1e-5, what: "final c" });
  });
  graded(unroll, "equals LstmLM.run; two calls carrying the state equal one call; no leaks", async () => {
    const r = await probeTargetOnly<{ logits: T; library: T; carried: T; h: T; carriedH: T }>("03", probes, "unroll", { B: 4, T: 10, seed: 6, split: 4 });
    expectClose(r.actual.logits, r.actual.library, { rtol: 1e-4, atol: 1e-5, what: "lstmForward vs the library's LstmLM.run" });
    expectClose(r.actual.carried, r.actual.logits, { rtol: 1e-4, atol: 1e-5, what: "steps 0–3 then 4–9 from the carried state vs all 10 at once" });
    expectClose(r.actual.carriedH, r.actual.h, { rtol: 1e-4, atol: 1e-5, what: "final h, carried vs at once" });
    expect(r.leakedTensors, "tensors left allocated by lstmForward").toBe(0);
  });

  graded(batch, "batches 0, 1, 2 and one that wraps match the reference on Moby Dick", async () => {
    const r = await probe<Pair[]>("03", probes, "batches", { source: "book", n: 5000, B: 8, T: 32, steps: [0, 1, 2, 30] });
    r.actual.forEach((b, k) => {
      expectClose(b.x, r.expected[k]!.x, { rtol: 0, atol: 0, what: `x of batch #${k}` });
      expectClose(b.y, r.expected[k]!.y, { rtol: 0, atol: 0, what: `y of batch #${k}` });
    });
  });
  graded(batch, "equals the library's TbpttStreams, and each row continues where it stopped", async () => {
    const r = await probeTargetOnly<Pair[]>("03", probes, "batches", { source: "random", n: 1003, B: 5, T: 7, steps: [0, 1, 2, 3] });
    for (const b of r.actual) {
      expect(b.x.dtype, "x holds token ids").toBe("int32");
      expectClose(b.x, b.libraryX, { rtol: 0, atol: 0, what: "x vs TbpttStreams.batchAt" });
      expectClose(b.y, b.libraryY, { rtol: 0, atol: 0, what: "y vs TbpttStreams.batchAt" });
    }
    const [B, T] = r.actual[0]!.x.shape as [number, number];
    for (let k = 0; k + 1 < r.actual.length; k++) {
      for (let b = 0; b < B; b++) {
        const { x, y } = r.actual[k]!, nextX = r.actual[k + 1]!.x;
        expect(y.data[b * T + T - 2], `row ${b}: y is x shifted by one`).toBe(x.data[b * T + T - 1]);
        expect(nextX.data[b * T], `row ${b} of batch ${k + 1} starts with the last target of batch ${k}`).toBe(y.data[b * T + T - 1]);
      }
    }
  });

  graded(step, "three steps carrying the state match the reference: losses, parameters, state", async () => {
    const r = await probe<{ losses: number[]; after: T[]; h: T }>("03", probes, "steps", { B: 3, T: 6, seed: 2 });
    expectClose(r.actual.losses, r.expected.losses, { rtol: 1e-4, what: "losses returned by tbpttStep" });
    expectClose(r.actual.after, r.expected.after, { rtol: 1e-3, atol: 1e-5, what: "[C, W, b, Wout, bout] after three steps" });
    expectClose(r.actual.h, r.expected.h, { rtol: 1e-3, atol: 1e-5, what: "h after the third step" });
    expect(r.leakedTensors, "tensors left allocated by tbpttStep").toBe(0);
  });
  graded(step, "a seeded 40-step run on Moby Dick reaches the reference's loss and leaks nothing", async () => {
    const r = await probe<{ before: number; after: number }>("03", probes, "tinyRun", { steps: 40, B: 8, T: 16, seed: 9 }, { timeoutMs: 60_000, backend: "wasm" });
    expect(Math.abs(r.actual.after - r.expected.after), `loss on 4,000 characters after training: ${r.actual.after.toFixed(4)}, reference ${r.expected.after.toFixed(4)}`).toBeLessThan(0.02);
    expect(r.actual.after, "training should lower the loss from its start").toBeLessThan(r.actual.before - 0.5);
    expect(r.leakedTensors, "tensors left allocated by the run").toBe(0);
  }, { timeoutMs: 120_000 });

  graded(sample, "40 seeded draws after a context match the reference", async () => {
    const r = await probe<{ tokens: number[] }>("03", probes, "sample", { seed: 7, context: [1, 2, 3], n: 40, temperature: 1 });
    expect(r.actual.tokens, "sampleText(model, [1, 2, 3], rng, 40)").toEqual(r.expected.tokens);
  });
  graded(sample, "equals the library's generateLstm at temperature 0.7 and leaves no tensors behind", async () => {
    const r = await probeTargetOnly<{ tokens: number[]; library: number[] }>("03", probes, "sample", { seed: 12, context: [4], n: 30, temperature: 0.7 });
    expect(r.actual.tokens, "sampleText vs generateLstm (same rng draws: one sampleToken per token)").toEqual(r.actual.library);
    expect(r.leakedTensors, "tensors left allocated by sampleText").toBe(0);
  });
});
