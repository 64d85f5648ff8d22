import { describe, expect } from "vitest";
import { exercisesOf, expectClose, graded, probe, probeTargetOnly } from "../harness/index.ts";

const probes = new URL("../probes/02-mlp.ts", import.meta.url);
const ex = exercisesOf("02", "notebooks/02-mlp.ipynb");

const contexts = ex("contexts", 2, "2. Contexts: what the model sees");
const embed = ex("embed", 2, "3. Embeddings");
const logits = ex("mlp-logits", 2, "4. The MLP");
const loss = ex("nll-loss", 2, "5. The loss");
const step = ex("train-step", 2, "6. Training by hand");

type T = { shape: number[]; dtype: string; data: number[] };
type XY = { X: T; Y: T };

describe("lesson 02: embeddings + MLP", () => {
  graded(contexts, "windows and targets of eight names match the reference (blockSize 3)", async () => {
    const r = await probe("02", probes, "contexts", { set: "small", blockSize: 3 });
    expectClose(r.actual, r.expected, { rtol: 0, atol: 0, what: "buildContexts(8 names, 3)" });
  });
  graded(contexts, "all training names, blockSize 5: one example per character and end, as the reference", async () => {
    const r = await probe<XY>("02", probes, "contexts", { set: "train", blockSize: 5 });
    expectClose(r.actual, r.expected, { rtol: 0, atol: 0, what: "buildContexts(train split, 5)" });
    expect(r.actual.X.dtype, "X holds token ids").toBe("int32");
  });
  graded(contexts, "blockSize 1 gives lesson 01's bigram pairs; every word starts from boundaries", async () => {
    const r = await probeTargetOnly<XY>("02", probes, "contexts", { set: "small", blockSize: 1 });
    const { X, Y } = r.actual;
    expect(X.shape, "X for 8 names of 37 letters: 37 + 8 examples").toEqual([45, 1]);
    for (let n = 1; n < Y.data.length; n++) {
      // The previous target, or 0 (start) after a word's end, which is also 0.
      expect(X.data[n], `example ${n}: the window is the previous token`).toBe(Y.data[n - 1]);
    }
    expect(X.data[0], "the first window is the start token").toBe(0);
  });

  graded(embed, "lookups of seeded windows match the reference", async () => {
    const r = await probe<{ out: T }>("02", probes, "embed", { V: 7, E: 4, N: 5, blockSize: 3, seed: 11 });
    expectClose(r.actual.out, r.expected.out, { what: "embed(C [7, 4], X [5, 3])" });
  });
  graded(embed, "equals one-hot rows times C, and its gradient counts how often each token occurs", async () => {
    const r = await probeTargetOnly<{ out: T; viaOneHot: T; grad: T; counts: T }>("02", probes, "embed", { V: 9, E: 3, N: 12, blockSize: 4, seed: 5 });
    expect(r.actual.out.shape, "embed() of [12, 4] windows with E = 3").toEqual([12, 12]);
    expectClose(r.actual.out, r.actual.viaOneHot, { what: "embed() vs one-hot · C" });
    expectClose(r.actual.grad, r.actual.counts, { what: "row sums of d(Σ embed)/dC vs E × token counts" });
  });

  graded(logits, "logits of seeded parameters and windows match the reference", async () => {
    const r = await probe<{ logits: T }>("02", probes, "logits", { N: 10, seed: 3 });
    expectClose(r.actual.logits, r.expected.logits, { rtol: 1e-4, atol: 1e-5, what: "mlpLogits(params, X [10, 3])" });
  });
  graded(logits, "equals the library's mlpForward and leaves no tensors behind", async () => {
    const r = await probeTargetOnly<{ logits: T; library: T }>("02", probes, "logits", { N: 17, seed: 8 });
    expectClose(r.actual.logits, r.actual.library, { rtol: 1e-4, atol: 1e-5, what: "mlpLogits vs MlpLM's mlpForward" });
    expect(r.leakedTensors, "tensors left allocated by mlpLogits").toBe(0);
  });

  graded(loss, "mean NLL of seeded logits matches the reference", async () => {
    const r = await probe<{ loss: T }>("02", probes, "loss", { N: 20, V: 9, scale: 2, seed: 4 });
    expectClose(r.actual.loss, r.expected.loss, { rtol: 1e-5, what: "nllLoss(logits [20, 9])" });
  });
  graded(loss, "stays finite and exact for logits as large as ±1000", async () => {
    const r = await probeTargetOnly<{ loss: T; library: T }>("02", probes, "loss", { N: 16, V: 27, scale: 1000, seed: 6 });
    expect(Number.isFinite(r.actual.loss.data[0]), "nllLoss of large logits (use logSoftmax)").toBe(true);
    expectClose(r.actual.loss, r.actual.library, { rtol: 1e-5, what: "nllLoss vs the library's crossEntropy" });
  });
  graded(loss, "equal logits score exactly log V", async () => {
    const r = await probeTargetOnly<{ loss: T }>("02", probes, "loss", { N: 8, V: 27, scale: 0, seed: 1 });
    expect(r.actual.loss.shape, "the loss is a scalar").toEqual([]);
    expect(r.actual.loss.data[0]).toBeCloseTo(Math.log(27), 5);
  });

  graded(step, "three Adam steps from seeded parameters match the reference: losses and parameters", async () => {
    const r = await probe<{ losses: number[]; after: T[] }>("02", probes, "step", { N: 24, seed: 2 });
    expectClose(r.actual.losses, r.expected.losses, { rtol: 1e-4, what: "losses returned by trainStep" });
    expectClose(r.actual.after, r.expected.after, { rtol: 1e-3, atol: 1e-5, what: "[C, W1, b1, W2, b2] after three steps" });
  });
  graded(step, "a seeded 80-step run on 300 names reaches the reference's loss and leaks nothing", async () => {
    const r = await probe<{ first: number; last: number; finalLoss: number }>("02", probes, "tinyRun", { steps: 80, batch: 32, seed: 9 });
    expect(Math.abs(r.actual.finalLoss - r.expected.finalLoss), `loss on all windows after training: ${r.actual.finalLoss.toFixed(4)}, reference ${r.expected.finalLoss.toFixed(4)}`).toBeLessThan(0.02);
    expect(r.actual.finalLoss, "training should lower the loss from its start").toBeLessThan(r.actual.first - 0.4);
    expect(r.leakedTensors, "tensors left allocated by trainStep").toBe(0);
  });
});
