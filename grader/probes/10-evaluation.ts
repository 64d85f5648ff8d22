/** Probes for lesson 10: each runs one exercise on seeded feature sets, inside the grader's probe process. */
import {
  Rng, featureStats, fidFromStats, memorisation, mmd2Unbiased, knnRadii, precisionRecall,
} from "@course/lib";
import type { FeatureStats, LessonModule, Matrix } from "@course/lib";

/** n rows of D features: a random linear mix of normals, plus `shift`, then ReLU when `relu` (like the classifier's). */
function features(n: number, d: number, seed: number, shift = 0, relu = false): Matrix {
  const rng = new Rng(seed);
  const mix = Array.from({ length: d * d }, () => rng.normal() / Math.sqrt(d));
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const z = Array.from({ length: d }, () => rng.normal());
    for (let j = 0; j < d; j++) {
      let v = shift + (j % 3) * 0.5;
      for (let k = 0; k < d; k++) v += mix[j * d + k]! * z[k]!;
      data[i * d + j] = relu ? Math.max(v, 0) : v;
    }
  }
  return { data, rows: n, cols: d };
}

/** Rows `from` … `from + count − 1` of x. */
function rows(x: Matrix, from: number, count: number): Matrix {
  return { data: x.data.slice(from * x.cols, (from + count) * x.cols), rows: count, cols: x.cols };
}

type Fid = (mu1: Float64Array, s1: Matrix, mu2: Float64Array, s2: Matrix) => number;
const fidOf = (m: LessonModule, a: FeatureStats, b: FeatureStats) => (m.frechetDistance as Fid)(a.mu, a.sigma, b.mu, b.sigma);

export const probes = {
  frechet: (m: LessonModule, input: { n: number; d: number; seed: number }) => {
    const a = featureStats(features(input.n, input.d, input.seed));
    const b = featureStats(features(input.n, input.d, input.seed + 1, 0.7));
    return {
      ab: fidOf(m, a, b), ba: fidOf(m, b, a), aa: fidOf(m, a, a),
      library: fidFromStats(a, b),
      // Diagonal covariances: FID = ‖μ₁ − μ₂‖² + Σᵢ (√σ₁ᵢ − √σ₂ᵢ)², here 4 + (1 − 2)² + (2 − 3)² = 6.
      diagonal: fidOf(m, diag([1, 0], [1, 4]), diag([1, 2], [4, 9])),
    };
  },

  kid: (m: LessonModule, input: { n: number; d: number; seed: number }) => {
    const x = features(input.n, input.d, input.seed, 0, true);
    const y = features(input.n, input.d, input.seed + 1, 0.4, true);
    const mmd = m.mmd2Cubic as (a: Matrix, b: Matrix) => number;
    const same = features(2 * input.n, input.d, input.seed + 2, 0, true);
    return {
      xy: mmd(x, y), yx: mmd(y, x), library: mmd2Unbiased(x, y),
      sameHalves: mmd(rows(same, 0, input.n), rows(same, input.n, input.n)),
      itself: mmd(x, x),
    };
  },

  precisionRecall: (m: LessonModule, input: { n: number; d: number; k: number; seed: number }) => {
    const real = features(input.n, input.d, input.seed);
    const fake = features(input.n, input.d, input.seed + 1, 0.8);
    const pr = m.manifoldPrecisionRecall as (r: Matrix, g: Matrix, k: number) => { precision: number; recall: number };
    const half = rows(real, 0, Math.floor(input.n / 2));
    const library = precisionRecall(real, fake, input.k);
    return {
      radii: (m.kthNeighbourRadii as (f: Matrix, k: number) => Float64Array)(real, input.k),
      libraryRadii: knnRadii(real, input.k),
      pr: pr(real, fake, input.k),
      swapped: pr(fake, real, input.k),
      library: { precision: library.precision, recall: library.recall },
      subset: pr(real, half, input.k),
    };
  },

  memorisation: (m: LessonModule, input: { n: number; q: number; seed: number }) => {
    const rng = new Rng(input.seed);
    const heldOut = Array.from({ length: input.n }, () => 4 + rng.normal());
    const generated = Array.from({ length: input.n }, (_, i) => (i % 4 === 0 ? 0.1 * rng.uniform() : 4 + rng.normal()));
    const rule = m.memorisedFraction as (g: number[], h: number[], q: number) => { threshold: number; fraction: number };
    const library = memorisation(generated, heldOut, input.q);
    return {
      mixed: rule(generated, heldOut, input.q),
      library: { threshold: library.threshold, fraction: library.fraction },
      copies: rule(generated.map(() => 0), heldOut, input.q).fraction,
      itself: rule(heldOut, heldOut, input.q).fraction,
      tiny: rule([1, 2, 3], [3, 1, 2], 0.25), // sorted 1, 2, 3 · pos 0.5 → threshold 1.5 → only 1 is below
    };
  },
};

function diag(mu: number[], variances: number[]): FeatureStats {
  const d = mu.length;
  const sigma = new Float64Array(d * d);
  variances.forEach((v, i) => (sigma[i * d + i] = v));
  return { mu: Float64Array.from(mu), sigma: { data: sigma, rows: d, cols: d }, count: 0 };
}
