// Exercise file generated from solutions/10-evaluation.ts by `npm run exercises`.
// Replace each TODO + throw with your code; `npm run grade` checks it. The generator never
// overwrites this file once you have changed it.
/**
 * Lesson 10 — evaluating generators: the Fréchet distance between two Gaussian summaries, the
 * kernel (MMD²) distance behind KID, k-nearest-neighbour precision and recall, and a
 * nearest-neighbour memorisation rule. Feature sets are `Matrix` values: one row per image.
 */
import { NotImplementedError, matMul, sqrtmPsd, trace } from "@course/lib";
import type { Matrix } from "@course/lib";

/**
 * FID between two Gaussians N(mu1, sigma1) and N(mu2, sigma2) (means [D], covariances [D, D]):
 *   ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2 (Σ₁Σ₂)^½)
 * Σ₁Σ₂ is not symmetric, but it has the same eigenvalues as the symmetric PSD matrix
 * Σ₁^½ Σ₂ Σ₁^½, so Tr((Σ₁Σ₂)^½) = Tr(sqrtmPsd(Σ₁^½ Σ₂ Σ₁^½)). Use the library's `sqrtmPsd`,
 * `matMul` and `trace` (float64 `Matrix` helpers).
 */
export function frechetDistance(mu1: Float64Array, sigma1: Matrix, mu2: Float64Array, sigma2: Matrix): number {
  // TODO(10.frechet-distance): write frechetDistance — notebooks/10-evaluation.ipynb, section "3. The Fréchet distance" explains it.
  throw new NotImplementedError("10.frechet-distance", "exercises/10-evaluation.ts", "frechetDistance", "notebooks/10-evaluation.ipynb, section \"3. The Fréchet distance\"");
}

/**
 * Unbiased MMD² between feature sets x and y of m rows each ([m, D], m ≥ 2) with the cubic
 * kernel k(a, b) = (aᵀb / D + 1)³:
 *   1/(m(m−1)) Σ_{i≠j} k(xᵢ, xⱼ) + 1/(m(m−1)) Σ_{i≠j} k(yᵢ, yⱼ) − 2/m² Σ_{i,j} k(xᵢ, yⱼ)
 * KID is this number averaged over random subsets.
 */
export function mmd2Cubic(x: Matrix, y: Matrix): number {
  // TODO(10.kid): write mmd2Cubic — notebooks/10-evaluation.ipynb, section "5. The kernel distance" explains it.
  throw new NotImplementedError("10.kid", "exercises/10-evaluation.ts", "mmd2Cubic", "notebooks/10-evaluation.ipynb, section \"5. The kernel distance\"");
}

/**
 * Radius of each row's ball: the Euclidean distance from row i to its k-th nearest other row of
 * the same set (k = 1: the nearest one; row i itself does not count). [N, D] → N radii.
 */
export function kthNeighbourRadii(features: Matrix, k: number): Float64Array {
  // TODO(10.precision-recall): write kthNeighbourRadii — notebooks/10-evaluation.ipynb, section "7. Precision and recall" explains it.
  throw new NotImplementedError("10.precision-recall", "exercises/10-evaluation.ts", "kthNeighbourRadii", "notebooks/10-evaluation.ipynb, section \"7. Precision and recall\"");
}

/**
 * Improved precision and recall (Kynkäänniemi et al. 2019) with your kthNeighbourRadii:
 *   precision = fraction of generated rows within radius rⱼ of some real row j (radii of the real set)
 *   recall    = fraction of real rows within radius rⱼ of some generated row j (radii of the generated set)
 * "Within" means distance ≤ radius. real [Nr, D], generated [Ng, D].
 */
export function manifoldPrecisionRecall(real: Matrix, generated: Matrix, k: number): { precision: number; recall: number } {
  // TODO(10.precision-recall): write manifoldPrecisionRecall — notebooks/10-evaluation.ipynb, section "7. Precision and recall" explains it.
  throw new NotImplementedError("10.precision-recall", "exercises/10-evaluation.ts", "manifoldPrecisionRecall", "notebooks/10-evaluation.ipynb, section \"7. Precision and recall\"");
}

/**
 * The memorisation rule: threshold = the q-quantile of the held-out images' nearest-training
 * distances — sort them ascending (s₀ ≤ … ≤ s_{n−1}), pos = q·(n − 1), and interpolate linearly
 * between s_⌊pos⌋ and s_⌈pos⌉ (NumPy's default quantile); fraction = share of generated distances
 * strictly below the threshold.
 */
export function memorisedFraction(generated: readonly number[], heldOut: readonly number[], q: number): { threshold: number; fraction: number } {
  // TODO(10.memorisation): write memorisedFraction — notebooks/10-evaluation.ipynb, section "8. Memorisation" explains it.
  throw new NotImplementedError("10.memorisation", "exercises/10-evaluation.ts", "memorisedFraction", "notebooks/10-evaluation.ipynb, section \"8. Memorisation\"");
}
