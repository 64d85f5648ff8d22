// Generated from solutions/10-evaluation.ts by `npm run exercises`: the types `lesson("10")` returns. Do not edit.
import type { Matrix } from "../index";
/**
 * FID between two Gaussians N(mu1, sigma1) and N(mu2, sigma2) (means [D], covariances [D, D]):
 *   ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2 (Σ₁Σ₂)^½)
 * Σ₁Σ₂ is not symmetric, but it has the same eigenvalues as the symmetric PSD matrix
 * Σ₁^½ Σ₂ Σ₁^½, so Tr((Σ₁Σ₂)^½) = Tr(sqrtmPsd(Σ₁^½ Σ₂ Σ₁^½)). Use the library's `sqrtmPsd`,
 * `matMul` and `trace` (float64 `Matrix` helpers).
 */
export declare function frechetDistance(mu1: Float64Array, sigma1: Matrix, mu2: Float64Array, sigma2: Matrix): number;
/**
 * Unbiased MMD² between feature sets x and y of m rows each ([m, D], m ≥ 2) with the cubic
 * kernel k(a, b) = (aᵀb / D + 1)³:
 *   1/(m(m−1)) Σ_{i≠j} k(xᵢ, xⱼ) + 1/(m(m−1)) Σ_{i≠j} k(yᵢ, yⱼ) − 2/m² Σ_{i,j} k(xᵢ, yⱼ)
 * KID is this number averaged over random subsets.
 */
export declare function mmd2Cubic(x: Matrix, y: Matrix): number;
/**
 * Radius of each row's ball: the Euclidean distance from row i to its k-th nearest other row of
 * the same set (k = 1: the nearest one; row i itself does not count). [N, D] → N radii.
 */
export declare function kthNeighbourRadii(features: Matrix, k: number): Float64Array;
/**
 * Improved precision and recall (Kynkäänniemi et al. 2019) with your kthNeighbourRadii:
 *   precision = fraction of generated rows within radius rⱼ of some real row j (radii of the real set)
 *   recall    = fraction of real rows within radius rⱼ of some generated row j (radii of the generated set)
 * "Within" means distance ≤ radius. real [Nr, D], generated [Ng, D].
 */
export declare function manifoldPrecisionRecall(real: Matrix, generated: Matrix, k: number): {
    precision: number;
    recall: number;
};
/**
 * The memorisation rule: threshold = the q-quantile of the held-out images' nearest-training
 * distances — sort them ascending (s₀ ≤ … ≤ s_{n−1}), pos = q·(n − 1), and interpolate linearly
 * between s_⌊pos⌋ and s_⌈pos⌉ (NumPy's default quantile); fraction = share of generated distances
 * strictly below the threshold.
 */
export declare function memorisedFraction(generated: readonly number[], heldOut: readonly number[], q: number): {
    threshold: number;
    fraction: number;
};
