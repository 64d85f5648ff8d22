import { describe, expect } from "vitest";
import { exercisesOf, expectClose, graded, probe, probeTargetOnly } from "../harness/index.ts";

const probes = new URL("../probes/10-evaluation.ts", import.meta.url);
const ex = exercisesOf("10", "notebooks/10-evaluation.ipynb");

const frechet = ex("frechet-distance", 2, "3. The Fréchet distance");
const kid = ex("kid", 2, "5. The kernel distance");
const pr = ex("precision-recall", 2, "7. Precision and recall");
const memo = ex("memorisation", 2, "8. Memorisation");

type Fid = { ab: number; ba: number; aa: number; library: number; diagonal: number };
type Kid = { xy: number; yx: number; library: number; sameHalves: number; itself: number };
type PR = { precision: number; recall: number };
type Prs = { radii: number[]; libraryRadii: number[]; pr: PR; swapped: PR; library: PR; subset: PR };
type Memo = { mixed: { threshold: number; fraction: number }; library: { threshold: number; fraction: number }; copies: number; itself: number; tiny: { threshold: number; fraction: number } };

describe("lesson 10: evaluating generators", () => {
  graded(frechet, "FID between two seeded 12-d Gaussian summaries matches the reference", async () => {
    const r = await probe<Fid>("10", probes, "frechet", { n: 200, d: 12, seed: 3 });
    expectClose(r.actual.ab, r.expected.ab, { rtol: 1e-6, atol: 1e-8, what: "frechetDistance(μ₁, Σ₁, μ₂, Σ₂)" });
  });
  graded(frechet, "equals the library's FID, is symmetric, 0 for a set with itself, exact on diagonal covariances", async () => {
    const r = await probeTargetOnly<Fid>("10", probes, "frechet", { n: 150, d: 8, seed: 11 });
    expect(r.actual.ab, "FID of two different sets").toBeGreaterThan(1);
    expectClose(r.actual.ab, r.actual.library, { rtol: 1e-6, atol: 1e-8, what: "frechetDistance vs the library's fidFromStats" });
    expectClose(r.actual.ba, r.actual.ab, { rtol: 1e-6, atol: 1e-8, what: "FID(b, a) vs FID(a, b)" });
    expect(Math.abs(r.actual.aa), "FID of a summary with itself").toBeLessThan(1e-6);
    expectClose(r.actual.diagonal, 6, { rtol: 1e-9, atol: 1e-9, what: "‖μ₁ − μ₂‖² + Σ(√σ₁ − √σ₂)² = 4 + 1 + 1 for diagonal Σ" });
  });

  graded(kid, "unbiased MMD² with the cubic kernel on seeded 16-d sets matches the reference", async () => {
    const r = await probe<Kid>("10", probes, "kid", { n: 60, d: 16, seed: 4 });
    expectClose(r.actual.xy, r.expected.xy, { rtol: 1e-6, atol: 1e-8, what: "mmd2Cubic(x [60, 16], y [60, 16])" });
    expectClose(r.actual.sameHalves, r.expected.sameHalves, { rtol: 1e-6, atol: 1e-8, what: "mmd2Cubic of two halves of one set" });
  });
  graded(kid, "equals the library's mmd2Unbiased, is symmetric, and leaves out the diagonal (x with itself ≠ 0 exactly)", async () => {
    const r = await probeTargetOnly<Kid>("10", probes, "kid", { n: 40, d: 10, seed: 9 });
    expectClose(r.actual.xy, r.actual.library, { rtol: 1e-6, atol: 1e-8, what: "mmd2Cubic vs the library's mmd2Unbiased" });
    expectClose(r.actual.yx, r.actual.xy, { rtol: 1e-6, atol: 1e-8, what: "MMD²(y, x) vs MMD²(x, y)" });
    expect(r.actual.xy, "MMD² of two shifted distributions").toBeGreaterThan(Math.abs(r.actual.sameHalves));
    // Σ_{i≠j} leaves out k(xᵢ, xᵢ), which the cross term keeps: MMD²(x, x) = 2/m·(mean k off the diagonal − mean k(xᵢ, xᵢ)) < 0
    expect(r.actual.itself, "MMD²(x, x) with the diagonal left out of the within-set sums (it is negative, not 0)").toBeLessThan(0);
  });

  graded(pr, "k-NN radii and precision/recall on seeded 6-d sets match the reference", async () => {
    const r = await probe<Prs>("10", probes, "precisionRecall", { n: 120, d: 6, k: 3, seed: 5 });
    expectClose(r.actual.radii, r.expected.radii, { rtol: 1e-9, atol: 1e-9, what: "kthNeighbourRadii(real [120, 6], 3)" });
    expectClose(r.actual.pr, r.expected.pr, { rtol: 0, atol: 1e-12, what: "manifoldPrecisionRecall(real, generated, 3)" });
  });
  graded(pr, "equals the library's, swapping the sets swaps precision and recall, a subset of the real set has precision 1", async () => {
    const r = await probeTargetOnly<Prs>("10", probes, "precisionRecall", { n: 100, d: 5, k: 4, seed: 12 });
    expectClose(r.actual.radii, r.actual.libraryRadii, { rtol: 1e-9, atol: 1e-9, what: "kthNeighbourRadii vs the library's knnRadii (row i itself must not count)" });
    expectClose(r.actual.pr, r.actual.library, { rtol: 0, atol: 1e-12, what: "precision and recall vs the library's precisionRecall" });
    expectClose(r.actual.swapped, { precision: r.actual.pr.recall, recall: r.actual.pr.precision }, { rtol: 0, atol: 1e-12, what: "swapping real and generated" });
    expect(r.actual.subset.precision, "precision of half of the real set against the real set").toBe(1);
    expect(r.actual.pr.recall, "recall of a shifted set is below 1").toBeLessThan(1);
  });

  graded(memo, "threshold and memorised fraction on seeded distances match the reference", async () => {
    const r = await probe<Memo>("10", probes, "memorisation", { n: 400, q: 0.05, seed: 6 });
    expectClose(r.actual.mixed, r.expected.mixed, { rtol: 1e-12, atol: 1e-12, what: "memorisedFraction(generated, heldOut, 0.05)" });
    expectClose(r.actual.tiny, r.expected.tiny, { rtol: 1e-12, atol: 1e-12, what: "memorisedFraction([1, 2, 3], [3, 1, 2], 0.25)" });
  });
  graded(memo, "equals the library's rule; copies score 1, held-out images score about q", async () => {
    const r = await probeTargetOnly<Memo>("10", probes, "memorisation", { n: 301, q: 0.1, seed: 13 });
    expectClose(r.actual.mixed, r.actual.library, { rtol: 1e-12, atol: 1e-12, what: "memorisedFraction vs the library's memorisation" });
    expectClose(r.actual.tiny, { threshold: 1.5, fraction: 1 / 3 }, { rtol: 1e-12, atol: 1e-12, what: "quantile 0.25 of [3, 1, 2] (sorted 1, 2, 3 → 1.5) and the share of [1, 2, 3] below it" });
    expect(r.actual.copies, "fraction of exact copies (distance 0)").toBe(1);
    expect(r.actual.itself, "held-out distances against their own threshold: at most q").toBeLessThanOrEqual(0.1);
    expect(r.actual.mixed.fraction, "a quarter of the generated distances are near 0").toBeGreaterThan(0.25);
  });
});
