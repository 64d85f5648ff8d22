/**
 * Kernel Inception Distance (Bińkowski et al. 2018, "Demystifying MMD GANs"): the squared
 * maximum mean discrepancy between two feature sets under the cubic polynomial kernel
 *
 *   k(x, y) = (xᵀy / d + 1)³,
 *
 * estimated without bias (the diagonal k(x, x) terms are left out), averaged over random
 * subsets as in the paper's code. Unlike FID it assumes no Gaussian shape and its expected
 * value does not depend on the sample size, so small-sample scores are comparable; it can be
 * slightly negative when the two sets come from the same distribution.
 */
import { CourseError } from "../errors";
import { Rng } from "../random";
import type { Matrix } from "./linalg";

export interface KidOptions {
  /**
   * Feature vectors per subset. Default: min(1000, ⌊min(N₁, N₂) / 2⌋) — the paper's 1000, but
   * never the whole set, so the subsets differ and their spread says how noisy the score is.
   */
  subsetSize?: number;
  /** Number of random subsets averaged (default 10). */
  subsets?: number;
  /** Seed of the subset draws (default 0). */
  seed?: number;
}

export interface KidResult {
  /** Mean of the subsets' unbiased MMD² estimates. */
  kid: number;
  /** Standard deviation of those estimates across subsets. */
  std: number;
}

function kernel(a: Matrix, i: number, b: Matrix, j: number): number {
  const d = a.cols;
  let dot = 0;
  for (let k = 0; k < d; k++) dot += a.data[i * d + k]! * b.data[j * d + k]!;
  const base = dot / d + 1;
  return base * base * base;
}

/**
 * Unbiased MMD² between rows `ia` of x and rows `ib` of y (equal counts m):
 * 1/(m(m−1)) Σ_{i≠j} k(xᵢ,xⱼ) + 1/(m(m−1)) Σ_{i≠j} k(yᵢ,yⱼ) − 2/m² Σ_{i,j} k(xᵢ,yⱼ).
 */
export function mmd2Unbiased(x: Matrix, y: Matrix, ia?: number[], ib?: number[]): number {
  const rx = ia ?? Array.from({ length: x.rows }, (_, i) => i);
  const ry = ib ?? Array.from({ length: y.rows }, (_, i) => i);
  const m = rx.length;
  if (ry.length !== m || m < 2) {
    throw new CourseError(`KID: needs two equal subsets of ≥ 2 rows, got ${m} and ${ry.length}.`);
  }
  if (x.cols !== y.cols) {
    throw new CourseError(`KID: feature widths differ (${x.cols} and ${y.cols}).`);
  }
  let kxx = 0;
  let kyy = 0;
  let kxy = 0;
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      kxx += kernel(x, rx[i]!, x, rx[j]!);
      kyy += kernel(y, ry[i]!, y, ry[j]!);
    }
    for (let j = 0; j < m; j++) kxy += kernel(x, rx[i]!, y, ry[j]!);
  }
  return (2 * kxx) / (m * (m - 1)) + (2 * kyy) / (m * (m - 1)) - (2 * kxy) / (m * m);
}

/** m distinct indices from 0…n−1, seeded. */
function subset(rng: Rng, n: number, m: number): number[] {
  return rng.shuffle(Array.from({ length: n }, (_, i) => i)).slice(0, m);
}

/** KID between two feature sets [N₁, D] and [N₂, D]: mean and spread over random subsets. */
export function kid(features1: Matrix, features2: Matrix, options: KidOptions = {}): KidResult {
  const smaller = Math.min(features1.rows, features2.rows);
  const m = options.subsetSize ?? Math.min(1000, Math.floor(smaller / 2));
  const count = options.subsets ?? 10;
  if (m > features1.rows || m > features2.rows) {
    throw new CourseError(
      `KID: subsetSize ${m} is larger than a set (${features1.rows} and ${features2.rows} rows).`,
    );
  }
  const rng = new Rng(options.seed ?? 0);
  const scores = Array.from({ length: count }, () => {
    const ia = subset(rng, features1.rows, m);
    return mmd2Unbiased(features1, features2, ia, subset(rng, features2.rows, m));
  });
  const mean = scores.reduce((a, b) => a + b, 0) / count;
  const variance = scores.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(count - 1, 1);
  return { kid: mean, std: Math.sqrt(variance) };
}
