import { describe, expect, it } from "vitest";
import {
  type FeatureStats, type Matrix, Rng, covariance, fid, fidFromStats, kid, mmd2Unbiased, sqrtmPsd,
  symmetricEigen, traceSqrtProduct,
} from "@course/lib";

/** n draws of N(mu, diag(variances)) rotated by q (x = q·(mu + σ ⊙ z)). */
function gaussian(rng: Rng, n: number, mu: number[], variances: number[]): Matrix {
  const d = mu.length;
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) data[i * d + j] = mu[j]! + Math.sqrt(variances[j]!) * rng.normal();
  return { data, rows: n, cols: d };
}

function diagStats(mu: number[], variances: number[]): FeatureStats {
  const d = mu.length;
  const sigma = new Float64Array(d * d);
  variances.forEach((v, i) => (sigma[i * d + i] = v));
  return { mu: Float64Array.from(mu), sigma: { data: sigma, rows: d, cols: d }, count: 0 };
}

/** Closed form for diagonal covariances: ‖μ₁−μ₂‖² + Σᵢ (√σ₁ᵢ − √σ₂ᵢ)². */
function diagFid(m1: number[], v1: number[], m2: number[], v2: number[]): number {
  return m1.reduce((s, _, i) => s + (m1[i]! - m2[i]!) ** 2 + (Math.sqrt(v1[i]!) - Math.sqrt(v2[i]!)) ** 2, 0);
}

/** A random symmetric positive definite d × d matrix A·Aᵀ + 0.1·I. */
function randomSpd(rng: Rng, d: number): Matrix {
  const a = Array.from({ length: d * d }, () => rng.normal());
  const data = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) {
    let s = i === j ? 0.1 : 0;
    for (let k = 0; k < d; k++) s += a[i * d + k]! * a[j * d + k]!;
    data[i * d + j] = s;
  }
  return { data, rows: d, cols: d };
}

describe("linear algebra for the metrics", () => {
  it("Jacobi eigendecomposition rebuilds the matrix, and sqrtmPsd squares back to it", () => {
    const a = randomSpd(new Rng(1), 12);
    const { values, vectors: v } = symmetricEigen(a);
    const s = sqrtmPsd(a);
    for (let i = 0; i < 12; i++) for (let j = 0; j < 12; j++) {
      let rebuilt = 0;
      let squared = 0;
      for (let k = 0; k < 12; k++) {
        rebuilt += v.data[i * 12 + k]! * values[k]! * v.data[j * 12 + k]!;
        squared += s.data[i * 12 + k]! * s.data[k * 12 + j]!;
      }
      expect(rebuilt).toBeCloseTo(a.data[i * 12 + j]!, 9);
      expect(squared).toBeCloseTo(a.data[i * 12 + j]!, 9);
    }
  });

  it("covariance matches a hand computation (N − 1 denominator)", () => {
    const x = { data: Float64Array.from([1, 2, 3, 6, 5, 4]), rows: 3, cols: 2 }; // rows (1,2) (3,6) (5,4)
    expect(Array.from(covariance(x).data)).toEqual([4, 2, 2, 4]);
  });

  it("Tr((Σ₁Σ₂)^½) of non-commuting 2×2 matrices equals √(tr(Σ₁Σ₂) + 2√(det Σ₁ det Σ₂))", () => {
    const s1 = { data: Float64Array.from([2, 0.7, 0.7, 1]), rows: 2, cols: 2 };
    const s2 = { data: Float64Array.from([0.5, -0.3, -0.3, 3]), rows: 2, cols: 2 };
    const trProduct = 2 * 0.5 + 0.7 * -0.3 + 0.7 * -0.3 + 1 * 3;
    const det = (2 * 1 - 0.49) * (0.5 * 3 - 0.09);
    expect(traceSqrtProduct(s1, s2)).toBeCloseTo(Math.sqrt(trProduct + 2 * Math.sqrt(det)), 10);
  });
});

describe("FID", () => {
  it("is 0 for identical feature sets", () => {
    const x = gaussian(new Rng(2), 300, [1, -2, 0, 3, 0.5, 0, 0, 1], [1, 2, 0.5, 1, 3, 1, 0.1, 1]);
    expect(fid(x, x)).toBeLessThan(1e-9);
  });

  it("equals the closed form for diagonal Gaussians, and is invariant under a shared rotation", () => {
    const [m1, v1] = [[0, 1, 2, -1], [1, 2, 0.5, 4]];
    const [m2, v2] = [[1, 1, 0, -1], [2, 2, 1.5, 1]];
    const expected = diagFid(m1, v1, m2, v2);
    expect(fidFromStats(diagStats(m1, v1), diagStats(m2, v2))).toBeCloseTo(expected, 10);
    // Rotate both Gaussians by one orthogonal Q (eigenvectors of a random SPD matrix).
    const q = symmetricEigen(randomSpd(new Rng(5), 4)).vectors;
    const rotate = (s: FeatureStats): FeatureStats => {
      const mu = new Float64Array(4);
      const sigma = new Float64Array(16);
      for (let i = 0; i < 4; i++) for (let k = 0; k < 4; k++) mu[i]! += q.data[i * 4 + k]! * s.mu[k]!;
      for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) for (let k = 0; k < 4; k++) {
        sigma[i * 4 + j]! += q.data[i * 4 + k]! * s.sigma.data[k * 4 + k]! * q.data[j * 4 + k]!;
      }
      return { mu, sigma: { data: sigma, rows: 4, cols: 4 }, count: 0 };
    };
    const rotated = fidFromStats(rotate(diagStats(m1, v1)), rotate(diagStats(m2, v2)));
    expect(rotated).toBeCloseTo(expected, 9);
  });

  it("from samples approaches the closed form as N grows", () => {
    const [m1, v1] = [[0, 0, 0], [1, 1, 1]];
    const [m2, v2] = [[1, 0, 0], [4, 1, 0.25]];
    const expected = diagFid(m1, v1, m2, v2); // 1 + 1 + 0 + 0.25 = 2.25
    const rng = new Rng(3);
    const measured = fid(gaussian(rng, 20000, m1, v1), gaussian(rng, 20000, m2, v2));
    expect(Math.abs(measured - expected)).toBeLessThan(0.05);
  });
});

/** The biased V-statistic: every pair, diagonal terms k(xᵢ, xᵢ) included. */
function mmd2Biased(x: Matrix, y: Matrix): number {
  const d = x.cols;
  const k = (a: Matrix, i: number, b: Matrix, j: number) => {
    let dot = 0;
    for (let c = 0; c < d; c++) dot += a.data[i * d + c]! * b.data[j * d + c]!;
    return (dot / d + 1) ** 3;
  };
  const m = x.rows;
  let total = 0;
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) total += k(x, i, x, j) + k(y, i, y, j) - 2 * k(x, i, y, j);
  return total / (m * m);
}

describe("KID", () => {
  it("mmd2Unbiased equals a direct double sum over i ≠ j", () => {
    const rng = new Rng(4);
    const x = gaussian(rng, 6, [0, 0, 0], [1, 1, 1]);
    const y = gaussian(rng, 6, [0.5, 0, 0], [1, 2, 1]);
    const k = (a: Matrix, i: number, b: Matrix, j: number) =>
      ((a.data[i * 3]! * b.data[j * 3]! + a.data[i * 3 + 1]! * b.data[j * 3 + 1]! + a.data[i * 3 + 2]! * b.data[j * 3 + 2]!) / 3 + 1) ** 3;
    let [xx, yy, xy] = [0, 0, 0];
    for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) {
      if (i !== j) { xx += k(x, i, x, j); yy += k(y, i, y, j); }
      xy += k(x, i, y, j);
    }
    expect(mmd2Unbiased(x, y)).toBeCloseTo(xx / 30 + yy / 30 - (2 * xy) / 36, 10);
  });

  it("is unbiased: over many same-distribution pairs its mean is 0 within noise, the V-statistic's is not", () => {
    const rng = new Rng(6);
    const trials = 300;
    const m = 10;
    const scores: number[] = [];
    const biased: number[] = [];
    for (let t = 0; t < trials; t++) {
      const x = gaussian(rng, m, [0, 0, 0, 0], [1, 1, 1, 1]);
      const y = gaussian(rng, m, [0, 0, 0, 0], [1, 1, 1, 1]);
      const u = mmd2Unbiased(x, y);
      scores.push(u);
      biased.push(mmd2Biased(x, y));
    }
    const mean = scores.reduce((a, b) => a + b, 0) / trials;
    const sd = Math.sqrt(scores.reduce((a, b) => a + (b - mean) ** 2, 0) / (trials - 1));
    expect(Math.abs(mean)).toBeLessThan((3 * sd) / Math.sqrt(trials));
    const biasedMean = biased.reduce((a, b) => a + b, 0) / trials;
    expect(biasedMean).toBeGreaterThan(10 * sd / Math.sqrt(trials));
  });

  it("grows with the distance between distributions and is seeded", () => {
    const rng = new Rng(7);
    const base = gaussian(rng, 400, [0, 0, 0, 0], [1, 1, 1, 1]);
    const scores = [0, 0.5, 1.5].map((shift) =>
      kid(base, gaussian(rng, 400, [shift, 0, 0, 0], [1, 1, 1, 1]), { subsetSize: 200, subsets: 5 }).kid);
    expect(scores[0]!).toBeLessThan(scores[1]!);
    expect(scores[1]!).toBeLessThan(scores[2]!);
    const other = gaussian(rng, 400, [1, 0, 0, 0], [1, 1, 1, 1]);
    expect(kid(base, other, { seed: 3, subsets: 3 })).toEqual(kid(base, other, { seed: 3, subsets: 3 }));
  });
});
