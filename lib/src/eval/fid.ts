/**
 * Fréchet Inception Distance (Heusel et al. 2017), here in the feature space of the course's
 * MNIST classifier instead of Inception's. Each set of images is summarised by the mean μ and
 * covariance Σ of its features, i.e. a Gaussian, and FID is the Fréchet (2-Wasserstein)
 * distance between the two Gaussians:
 *
 *   FID = ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2 (Σ₁Σ₂)^{1/2})
 *
 * Tr((Σ₁Σ₂)^{1/2}) = Tr((Σ₁^{1/2} Σ₂ Σ₁^{1/2})^{1/2}) (the two matrices are similar), and the
 * right-hand matrix is symmetric PSD, so its square root's trace is Σᵢ √λᵢ of a symmetric
 * eigendecomposition — no complex parts to discard, unlike scipy's sqrtm on Σ₁Σ₂.
 */
import { CourseError } from "../errors";
import {
  type Matrix, columnMeans, covariance, matMul, sqrtmPsd, symmetricEigen, trace,
} from "./linalg";

/** The Gaussian summary of a feature set. */
export interface FeatureStats {
  mu: Float64Array;
  sigma: Matrix;
  /** Number of feature vectors it was computed from. */
  count: number;
}

/** Mean and (N − 1)-normalised covariance of features [N, D]. */
export function featureStats(features: Matrix): FeatureStats {
  const mu = columnMeans(features);
  return { mu, sigma: covariance(features, mu), count: features.rows };
}

/** Tr((Σ₁Σ₂)^{1/2}) via the symmetric matrix Σ₁^{1/2} Σ₂ Σ₁^{1/2}. */
export function traceSqrtProduct(sigma1: Matrix, sigma2: Matrix): number {
  const root1 = sqrtmPsd(sigma1);
  const inner = matMul(matMul(root1, sigma2), root1);
  for (let i = 0; i < inner.rows; i++) { // symmetrise away rounding before Jacobi
    for (let j = i + 1; j < inner.cols; j++) {
      const v = 0.5 * (inner.data[i * inner.cols + j]! + inner.data[j * inner.cols + i]!);
      inner.data[i * inner.cols + j] = v;
      inner.data[j * inner.cols + i] = v;
    }
  }
  const { values } = symmetricEigen(inner);
  return values.reduce((sum, l) => sum + Math.sqrt(Math.max(l, 0)), 0);
}

/** FID between two Gaussian summaries. */
export function fidFromStats(a: FeatureStats, b: FeatureStats): number {
  if (a.mu.length !== b.mu.length) {
    throw new CourseError(`FID: feature widths differ (${a.mu.length} and ${b.mu.length}).`);
  }
  let meanTerm = 0;
  for (let i = 0; i < a.mu.length; i++) meanTerm += (a.mu[i]! - b.mu[i]!) ** 2;
  const covTerm = trace(a.sigma) + trace(b.sigma) - 2 * traceSqrtProduct(a.sigma, b.sigma);
  return Math.max(meanTerm + covTerm, 0); // rounding can leave −1e-12 for identical sets
}

/** FID between two feature sets [N₁, D] and [N₂, D]. */
export function fid(features1: Matrix, features2: Matrix): number {
  return fidFromStats(featureStats(features1), featureStats(features2));
}
