import { describe, expect } from "vitest";
import { exercisesOf, expectClose, graded, probe, probeTargetOnly } from "../harness/index.ts";

const probes = new URL("../probes/07-gan.ts", import.meta.url);
const ex = exercisesOf("07", "notebooks/07-gan.ipynb");

const dLoss = ex("discriminator-loss", 2, "2. The two players' losses");
const gLoss = ex("generator-loss", 2, "2. The two players' losses");
const step = ex("train-step", 2, "4. Training the two players");
const conditional = ex("conditional-input", 2, "6. A class-conditional GAN");

type T = { shape: number[]; dtype: string; data: number[] };
type Run = { dLoss: number[]; gLoss: number[]; gUp2: T; dFc: T; gBn0: T };

describe("lesson 07: GANs on MNIST", () => {
  graded(dLoss, "bceWithLogits and discriminatorLoss match the reference on seeded logits", async () => {
    const b = await probe<{ mine: T[] }>("07", probes, "bce", { n: 40, seed: 3, targets: [1, 0, 0.9] });
    b.expected.mine.forEach((e, i) => expectClose(b.actual.mine[i], e, { rtol: 1e-5, atol: 1e-5, what: `bceWithLogits(x, ${[1, 0, 0.9][i]})` }));
    const d = await probe<{ mine: T; gradReal: T }>("07", probes, "dLoss", { n: 32, seed: 5, realTarget: 0.9 });
    expectClose(d.actual.mine, d.expected.mine, { rtol: 1e-5, atol: 1e-5, what: "discriminatorLoss(real, fake, 0.9)" });
    expectClose(d.actual.gradReal, d.expected.gradReal, { rtol: 1e-4, atol: 1e-6, what: "d discriminatorLoss / d realLogits" });
  });
  graded(dLoss, "stays finite for logits of ±60, equals the library's, leaves no tensors", async () => {
    const r = await probeTargetOnly<{ mine: T[]; library: T[] }>("07", probes, "bce", { n: 20, seed: 8, targets: [1, 0] });
    r.actual.mine.forEach((t, i) => {
      expect(Number.isFinite(t.data[0]), `bceWithLogits(…, ${i === 0 ? 1 : 0}) with logits of ±60 is finite (use the stable form)`).toBe(true);
      expectClose(t, r.actual.library[i], { rtol: 1e-5, atol: 1e-5, what: "bceWithLogits vs the library's" });
    });
    const d = await probeTargetOnly<{ mine: T; library: T }>("07", probes, "dLoss", { n: 16, seed: 2, realTarget: 1 });
    expectClose(d.actual.mine, d.actual.library, { rtol: 1e-5, atol: 1e-5, what: "discriminatorLoss vs the library's (a sum of two means)" });
    expect(r.leakedTensors + d.leakedTensors, "tensors left allocated").toBe(0);
  });

  graded(gLoss, "both generator losses and their gradients match the reference", async () => {
    const r = await probe<Record<string, T>>("07", probes, "gLoss", { n: 24, seed: 4 });
    for (const key of ["nonSaturating", "saturating", "gradNonSaturating", "gradSaturating"]) {
      expectClose(r.actual[key], r.expected[key], { rtol: 1e-4, atol: 1e-6, what: key });
    }
  });
  graded(gLoss, "non-saturating: gradient ≈ −1/B where D rejects the fake; saturating: ≈ 0 there", async () => {
    const r = await probeTargetOnly<Record<string, T>>("07", probes, "gLoss", { n: 10, seed: 6 });
    const B = 10;
    // Row 1 holds the logit −60: D is sure the fake is fake.
    expect(r.actual.gradNonSaturating!.data[1]! * B, "non-saturating gradient × B at logit −60").toBeCloseTo(-1, 4);
    expect(Math.abs(r.actual.gradSaturating!.data[1]!), "saturating gradient at logit −60").toBeLessThan(1e-12);
    expectClose(r.actual.nonSaturating, r.actual.libraryNonSaturating, { rtol: 1e-5, atol: 1e-5, what: "generatorLoss vs the library's" });
    expectClose(r.actual.saturating, r.actual.librarySaturating, { rtol: 1e-5, atol: 1e-5, what: "saturatingGeneratorLoss vs the library's" });
    expect(r.leakedTensors, "tensors left allocated").toBe(0);
  });

  graded(conditional, "generatorInput and discriminatorInput match the reference", async () => {
    const r = await probe<{ g: T; d: T }>("07", probes, "conditional", { B: 6, Z: 5, H: 4, classes: 10, seed: 7 });
    expectClose(r.actual.g, r.expected.g, { rtol: 0, atol: 0, what: "generatorInput(z [6, 5], labels, 10) → [6, 15]" });
    expectClose(r.actual.d, r.expected.d, { rtol: 0, atol: 0, what: "discriminatorInput(images [6, 4, 4, 1], labels, 10) → [6, 4, 4, 11]" });
  });
  graded(conditional, "float outputs, one-hot in the right place, equal to the library's; no leaks", async () => {
    const r = await probeTargetOnly<{ g: T; d: T; libraryG: T; libraryD: T }>("07", probes, "conditional", { B: 3, Z: 2, H: 5, classes: 4, seed: 9 });
    expect(r.actual.g.dtype, "generatorInput dtype (concat needs float one-hots: .toFloat())").toBe("float32");
    expect(r.actual.d.shape, "discriminatorInput shape").toEqual([3, 5, 5, 5]);
    expectClose(r.actual.g, r.actual.libraryG, { rtol: 0, atol: 0, what: "generatorInput vs the library's (noise first, then the one-hot)" });
    expectClose(r.actual.d, r.actual.libraryD, { rtol: 0, atol: 0, what: "discriminatorInput vs the library's (image channel first, then K label planes)" });
    expect(r.leakedTensors, "tensors left allocated").toBe(0);
  });

  graded(step, "a seeded 4-step run of a tiny conditional GAN matches the reference", async () => {
    const r = await probe<{ mine: Run }>("07", probes, "trainStep", { steps: 4, seed: 11, classes: 10, realTarget: 1 }, { timeoutMs: 60_000, backend: "wasm" });
    expectClose(r.actual.mine.dLoss, r.expected.mine.dLoss, { rtol: 1e-3, atol: 1e-4, what: "D losses of 4 steps" });
    expectClose(r.actual.mine.gLoss, r.expected.mine.gLoss, { rtol: 1e-3, atol: 1e-4, what: "G losses of 4 steps" });
    expectClose(r.actual.mine.gUp2, r.expected.mine.gUp2, { rtol: 1e-3, atol: 1e-4, what: "G's last layer after 4 steps" });
  }, { timeoutMs: 120_000 });
  graded(step, "equals the library's ganStep (D first, fakes as data, same z), unconditional too; no leaks", async () => {
    const r = await probeTargetOnly<{ mine: Run; library: Run }>("07", probes, "trainStep",
      { steps: 3, seed: 5, classes: 0, realTarget: 0.9, library: true }, { timeoutMs: 60_000, backend: "wasm" });
    const { mine, library } = r.actual;
    expectClose(mine.dLoss, library.dLoss, { rtol: 1e-3, atol: 1e-4, what: "D losses (realTarget 0.9 passed on?)" });
    expectClose(mine.gLoss, library.gLoss, { rtol: 1e-3, atol: 1e-4, what: "G losses (does the G step see the updated D?)" });
    expectClose(mine.dFc, library.dFc, { rtol: 1e-3, atol: 1e-4, what: "D's last layer (is G's step leaving D alone?)" });
    expectClose(mine.gBn0, library.gBn0, { rtol: 1e-3, atol: 1e-4, what: "G's first batch-norm scale" });
    expect(r.leakedTensors, "tensors left allocated by 3 steps").toBe(0);
  }, { timeoutMs: 120_000 });
});
