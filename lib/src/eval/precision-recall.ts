/**
 * Improved precision and recall (Kynkäänniemi et al. 2019, "Improved Precision and Recall Metric
 * for Assessing Generative Models"), in the feature space of the course's classifier.
 *
 * Each set's manifold is estimated as the union of balls around its feature vectors, ball i with
 * radius = distance from vector i to its k-th nearest neighbour in the same set (itself excluded):
 *
 *   precision = fraction of generated vectors inside the real manifold   (are samples realistic?)
 *   recall    = fraction of real vectors inside the generated manifold   (is the data covered?)
 *
 * FID folds both into one number; these two keep them apart: a generator that draws only some
 * digits well keeps a high precision and loses recall.
 */
import { CourseError } from "../errors";
import type { Matrix } from "./linalg";

/** Squared Euclidean distances between the rows of a [Na, D] and b [Nb, D]: Na × Nb, row-major. */
export function pairwiseSquaredDistances(a: Matrix, b: Matrix): Float64Array {
  if (a.cols !== b.cols) {
    throw new CourseError(`pairwiseSquaredDistances(): widths differ (${a.cols} and ${b.cols}).`);
  }
  const d = a.cols;
  const out = new Float64Array(a.rows * b.rows);
  for (let i = 0; i < a.rows; i++) {
    const ai = i * d;
    for (let j = 0; j < b.rows; j++) {
      const bj = j * d;
      let s = 0;
      for (let k = 0; k < d; k++) {
        const diff = a.data[ai + k]! - b.data[bj + k]!;
        s += diff * diff;
      }
      out[i * b.rows + j] = s;
    }
  }
  return out;
}

/**
 * Radius of each row's ball: the Euclidean distance to its k-th nearest neighbour among the other
 * rows of the same set (k = 1 is the nearest other row). [N, D] → N radii.
 */
export function knnRadii(features: Matrix, k = 3): Float64Array {
  const n = features.rows;
  if (!(Number.isInteger(k) && k >= 1 && k < n)) {
    throw new CourseError(`knnRadii(): k must be an integer 1…${n - 1} for ${n} rows, got ${k}.`);
  }
  const d2 = pairwiseSquaredDistances(features, features);
  const radii = new Float64Array(n);
  const row = new Float64Array(n - 1);
  for (let i = 0; i < n; i++) {
    let m = 0;
    for (let j = 0; j < n; j++) if (j !== i) row[m++] = d2[i * n + j]!;
    row.sort();
    radii[i] = Math.sqrt(row[k - 1]!);
  }
  return radii;
}

/**
 * Whether each row of `points` lies inside at least one ball of the manifold: ‖p − cⱼ‖ ≤ rⱼ for
 * some centre cⱼ (a row of `centres`) with radius rⱼ. [Np, D], [Nc, D], Nc radii → Np flags (0/1).
 */
export function insideManifold(points: Matrix, centres: Matrix, radii: ArrayLike<number>): Uint8Array {
  if (radii.length !== centres.rows) {
    throw new CourseError(
      `insideManifold(): ${centres.rows} centres need ${centres.rows} radii, got ${radii.length}.`,
    );
  }
  const d2 = pairwiseSquaredDistances(points, centres);
  const inside = new Uint8Array(points.rows);
  for (let i = 0; i < points.rows; i++) {
    for (let j = 0; j < centres.rows; j++) {
      const r = radii[j]!;
      if (d2[i * centres.rows + j]! <= r * r) {
        inside[i] = 1;
        break;
      }
    }
  }
  return inside;
}

export interface PrecisionRecall {
  /** Fraction of generated feature vectors inside the real manifold. */
  precision: number;
  /** Fraction of real feature vectors inside the generated manifold. */
  recall: number;
  /** The k of the k-nearest-neighbour radii. */
  k: number;
}

function mean(flags: Uint8Array): number {
  let s = 0;
  for (const f of flags) s += f;
  return s / Math.max(flags.length, 1);
}

/** Precision and recall of generated features against real features, both [N, D]. */
export function precisionRecall(real: Matrix, generated: Matrix, k = 3): PrecisionRecall {
  const precision = mean(insideManifold(generated, real, knnRadii(real, k)));
  const recall = mean(insideManifold(real, generated, knnRadii(generated, k)));
  return { precision, recall, k };
}
