/**
 * Lesson 10 — evaluating generators: the Fréchet distance between two Gaussian summaries, the
 * kernel (MMD²) distance behind KID, k-nearest-neighbour precision and recall, and a
 * nearest-neighbour memorisation rule. Feature sets are `Matrix` values: one row per image.
 */
import { matMul, sqrtmPsd, trace } from "@course/lib";
import type { Matrix } from "@course/lib";

/**
 * FID between two Gaussians N(mu1, sigma1) and N(mu2, sigma2) (means [D], covariances [D, D]):
 *   ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2 (Σ₁Σ₂)^½)
 * Σ₁Σ₂ is not symmetric, but it has the same eigenvalues as the symmetric PSD matrix
 * Σ₁^½ Σ₂ Σ₁^½, so Tr((Σ₁Σ₂)^½) = Tr(sqrtmPsd(Σ₁^½ Σ₂ Σ₁^½)). Use the library's `sqrtmPsd`,
 * `matMul` and `trace` (float64 `Matrix` helpers).
 */
export function frechetDistance(mu1: Float64Array, sigma1: Matrix, mu2: Float64Array, sigma2: Matrix): number {
  // BEGIN SOLUTION exercise=10.frechet-distance section="3. The Fréchet distance"
  let meanTerm = 0;
  for (let i = 0; i < mu1.length; i++) meanTerm += (mu1[i]! - mu2[i]!) ** 2;
  const root1 = sqrtmPsd(sigma1); //                                  [D, D]
  const inner = matMul(matMul(root1, sigma2), root1); //              Σ₁^½ Σ₂ Σ₁^½  [D, D]
  return meanTerm + trace(sigma1) + trace(sigma2) - 2 * trace(sqrtmPsd(inner));
  // END SOLUTION
}

/**
 * Unbiased MMD² between feature sets x and y of m rows each ([m, D], m ≥ 2) with the cubic
 * kernel k(a, b) = (aᵀb / D + 1)³:
 *   1/(m(m−1)) Σ_{i≠j} k(xᵢ, xⱼ) + 1/(m(m−1)) Σ_{i≠j} k(yᵢ, yⱼ) − 2/m² Σ_{i,j} k(xᵢ, yⱼ)
 * KID is this number averaged over random subsets.
 */
export function mmd2Cubic(x: Matrix, y: Matrix): number {
  // BEGIN SOLUTION exercise=10.kid section="5. The kernel distance"
  const m = x.rows, d = x.cols;
  const k = (a: Matrix, i: number, b: Matrix, j: number) => {
    let dot = 0;
    for (let c = 0; c < d; c++) dot += a.data[i * d + c]! * b.data[j * d + c]!;
    return (dot / d + 1) ** 3;
  };
  let xx = 0, yy = 0, xy = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      if (i !== j) {
        xx += k(x, i, x, j);
        yy += k(y, i, y, j);
      }
      xy += k(x, i, y, j);
    }
  }
  return (xx + yy) / (m * (m - 1)) - (2 * xy) / (m * m);
  // END SOLUTION
}

/**
 * Radius of each row's ball: the Euclidean distance from row i to its k-th nearest other row of
 * the same set (k = 1: the nearest one; row i itself does not count). [N, D] → N radii.
 */
export function kthNeighbourRadii(features: Matrix, k: number): Float64Array {
  // BEGIN SOLUTION exercise=10.precision-recall section="7. Precision and recall"
  const n = features.rows, d = features.cols;
  const radii = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const others: number[] = [];
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let s = 0;
      for (let c = 0; c < d; c++) s += (features.data[i * d + c]! - features.data[j * d + c]!) ** 2;
      others.push(Math.sqrt(s));
    }
    others.sort((a, b) => a - b);
    radii[i] = others[k - 1]!;
  }
  return radii;
  // END SOLUTION
}

/**
 * Improved precision and recall (Kynkäänniemi et al. 2019) with your kthNeighbourRadii:
 *   precision = fraction of generated rows within radius rⱼ of some real row j (radii of the real set)
 *   recall    = fraction of real rows within radius rⱼ of some generated row j (radii of the generated set)
 * "Within" means distance ≤ radius. real [Nr, D], generated [Ng, D].
 */
export function manifoldPrecisionRecall(real: Matrix, generated: Matrix, k: number): { precision: number; recall: number } {
  // BEGIN SOLUTION exercise=10.precision-recall section="7. Precision and recall"
  const d = real.cols;
  const covered = (points: Matrix, centres: Matrix, radii: Float64Array) => {
    let inside = 0;
    for (let i = 0; i < points.rows; i++) {
      for (let j = 0; j < centres.rows; j++) {
        let s = 0;
        for (let c = 0; c < d; c++) s += (points.data[i * d + c]! - centres.data[j * d + c]!) ** 2;
        if (Math.sqrt(s) <= radii[j]!) {
          inside++;
          break;
        }
      }
    }
    return inside / points.rows;
  };
  return {
    precision: covered(generated, real, kthNeighbourRadii(real, k)),
    recall: covered(real, generated, kthNeighbourRadii(generated, k)),
  };
  // END SOLUTION
}

/**
 * The memorisation rule: threshold = the q-quantile of the held-out images' nearest-training
 * distances — sort them ascending (s₀ ≤ … ≤ s_{n−1}), pos = q·(n − 1), and interpolate linearly
 * between s_⌊pos⌋ and s_⌈pos⌉ (NumPy's default quantile); fraction = share of generated distances
 * strictly below the threshold.
 */
export function memorisedFraction(generated: readonly number[], heldOut: readonly number[], q: number): { threshold: number; fraction: number } {
  // BEGIN SOLUTION exercise=10.memorisation section="8. Memorisation"
  const sorted = [...heldOut].sort((a, b) => a - b);
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos), hi = Math.ceil(pos);
  const threshold = sorted[lo]! + (pos - lo) * (sorted[hi]! - sorted[lo]!);
  const fraction = generated.filter((d) => d < threshold).length / generated.length;
  return { threshold, fraction };
  // END SOLUTION
}
