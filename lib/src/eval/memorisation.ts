/**
 * A memorisation check built on `nearestNeighbour`: is a generated image closer to its nearest
 * training image than fresh real images usually are?
 *
 * Held-out real images (MNIST's test split) have their own nearest-training-image distances; a
 * low quantile q of those (say the 1st percentile) is the threshold. A generator that makes new
 * images lands below it about as often as real held-out images do (a fraction ≈ q); one that
 * returns copies of its training images lands below it almost always.
 *
 * A copy moved by a pixel is as far from its original in pixels as two different digits are, so
 * `nearestNeighbourShifted` also tries every shift of each image up to `maxShift` pixels and keeps
 * the smallest distance. Held-out images must be measured the same way for the threshold.
 */
import type { Mnist } from "../data/mnist";
import { CourseError } from "../errors";
import { tf } from "../tf";
import type { MnistClassifier } from "./classifier";
import { type Neighbours, nearestNeighbour } from "./evaluate";

/** The q-quantile of the values with linear interpolation between order statistics (NumPy's default). */
export function quantile(values: ArrayLike<number>, q: number): number {
  if (values.length === 0) throw new CourseError("quantile(): no values.");
  if (!(q >= 0 && q <= 1)) throw new CourseError(`quantile(): q must be in [0, 1], got ${q}.`);
  const sorted = Float64Array.from(values).sort();
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (pos - lo) * (sorted[hi]! - sorted[lo]!);
}

export interface Memorisation {
  /** Distances below this count as copies: the q-quantile of the held-out distances. */
  threshold: number;
  /** Fraction of generated images whose nearest-training distance is below the threshold. */
  fraction: number;
  /** The q used: what `fraction` is for images as new as held-out real ones. */
  quantile: number;
}

/**
 * Fraction of generated images closer to the training set than the q-quantile of held-out real
 * images' distances to it (strictly below). Distances as `nearestNeighbour(...).distance`.
 */
export function memorisation(
  generated: ArrayLike<number>, heldOut: ArrayLike<number>, q = 0.01,
): Memorisation {
  if (generated.length === 0) throw new CourseError("memorisation(): no generated distances.");
  const threshold = quantile(heldOut, q);
  let below = 0;
  for (let i = 0; i < generated.length; i++) if (generated[i]! < threshold) below++;
  return { threshold, fraction: below / generated.length, quantile: q };
}

/** Images moved by (dy, dx) pixels (down, right), filled with 0 (black). [N, 28, 28, 1] → same */
export function shiftImages(images: tf.Tensor4D, dy: number, dx: number): tf.Tensor4D {
  return tf.tidy(() => {
    const padded = tf.pad(images, [[0, 0], [Math.max(dy, 0), Math.max(-dy, 0)], [Math.max(dx, 0), Math.max(-dx, 0)], [0, 0]]);
    return tf.slice(padded, [0, Math.max(-dy, 0), Math.max(-dx, 0), 0], images.shape) as tf.Tensor4D; // [N, 28, 28, 1]
  });
}

/**
 * `nearestNeighbour` of each image and of each of its shifts by (dy, dx) ∈ [−maxShift, maxShift]²,
 * keeping the closest: copies moved by up to `maxShift` pixels show a distance near 0.
 * (2·maxShift + 1)² searches: 9 for maxShift = 1.
 */
export function nearestNeighbourShifted(
  generated: tf.Tensor4D, train: tf.Tensor4D | Mnist, maxShift = 1, model?: MnistClassifier,
): Neighbours & { shift: [number, number][] } {
  if (!(Number.isInteger(maxShift) && maxShift >= 0 && maxShift <= 4)) {
    throw new CourseError(`nearestNeighbourShifted(): maxShift must be an integer 0…4, got ${maxShift}.`);
  }
  const n = generated.shape[0];
  const best = { index: new Int32Array(n).fill(-1), distance: new Float64Array(n).fill(Infinity) };
  const shift = Array.from({ length: n }, () => [0, 0] as [number, number]);
  for (let dy = -maxShift; dy <= maxShift; dy++) {
    for (let dx = -maxShift; dx <= maxShift; dx++) {
      const moved = shiftImages(generated, dy, dx); //                         [N, 28, 28, 1]
      const found = nearestNeighbour(moved, train, model);
      moved.dispose();
      for (let i = 0; i < n; i++) {
        if (found.distance[i]! < best.distance[i]!) {
          best.distance[i] = found.distance[i]!;
          best.index[i] = found.index[i]!;
          shift[i] = [dy, dx];
        }
      }
    }
  }
  return { ...best, shift };
}
