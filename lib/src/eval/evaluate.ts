/**
 * Scoring images with the classifier: features for FID/KID, the real-vs-real floor, the
 * nearest-training-neighbour check for memorisation and the class histogram. Images are
 * [N, 28, 28, 1] tensors in [0, 1]; the caller keeps ownership of every tensor it passes in.
 */
import { type Mnist, loadMnist } from "../data/mnist";
import { CourseError } from "../errors";
import { Rng } from "../random";
import { tf } from "../tf";
import { type MnistClassifier, mapBatches, mnistTensor, predictLabels } from "./classifier";
import { fid } from "./fid";
import { type KidOptions, kid } from "./kid";
import type { Matrix } from "./linalg";

/** Penultimate-layer features of each image, in float64. [N, 28, 28, 1] → [N, F] */
export function featuresOf(model: MnistClassifier, images: tf.Tensor4D, batchSize = 500): Matrix {
  return mapBatches(images, (b) => model.features(b), batchSize);
}

/**
 * `count` images of an MNIST split picked without replacement by `seed`: a number for the
 * evaluation's fixed reference sets (test 0, train 1, as realFloor draws them), or a stream such
 * as `streams.eval` for a run's own draws.  → [count, 28, 28, 1]
 */
export function sampleMnist(split: "train" | "test", count: number, seed: number | Rng): tf.Tensor4D {
  const data = loadMnist(split);
  if (!(Number.isInteger(count) && count >= 2 && count <= data.count)) {
    throw new CourseError(
      `sampleMnist(): count must be 2…${data.count} for ${split}, got ${count}.`,
    );
  }
  const order = (typeof seed === "number" ? new Rng(seed) : seed).shuffle(Array.from({ length: data.count }, (_, i) => i));
  const picked = new Uint8Array(count * 784);
  for (let i = 0; i < count; i++) {
    const k = order[i]!;
    picked.set(data.images.subarray(k * 784, (k + 1) * 784), i * 784);
  }
  return mnistTensor({ ...data, images: picked, labels: new Uint8Array(count), count });
}

export interface Scores {
  /** Number of images on each side. */
  n: number;
  fid: number;
  kid: number;
  /** Spread of KID over its subsets. */
  kidStd: number;
}

/** FID and KID between two image sets of equal size. */
export function scoreImages(
  model: MnistClassifier, images: tf.Tensor4D, reference: tf.Tensor4D, kidOptions: KidOptions = {},
): Scores {
  const a = featuresOf(model, images);
  const b = featuresOf(model, reference);
  const k = kid(a, b, kidOptions);
  return { n: a.rows, fid: fid(a, b), kid: k.kid, kidStd: k.std };
}

/**
 * The real-vs-real floor: FID/KID of `n` test images against `n` training images (both drawn
 * by `seed`). A generator scored against `n` training images cannot be expected to beat it;
 * report it beside every score, at the same n (≥ 1000).
 */
export function realFloor(model: MnistClassifier, n: number, seed = 0): Scores {
  if (n < 1000) {
    throw new CourseError(`realFloor(): n must be ≥ 1000 for a stable floor, got ${n}.`);
  }
  const test = sampleMnist("test", n, seed);
  const train = sampleMnist("train", n, seed + 1);
  try {
    return scoreImages(model, test, train, { seed });
  } finally {
    tf.dispose([test, train]);
  }
}

export interface Neighbours {
  /** Index of each image's nearest training image. */
  index: Int32Array;
  /** Its Euclidean distance (pixels in [0, 1], or features when a model is given). */
  distance: Float64Array;
}

/** Rows of a tensor or an MNIST set as [count, D] (pixels, or features with a model). */
function rowsOf(
  source: tf.Tensor4D | Mnist, start: number, count: number, model?: MnistClassifier,
): tf.Tensor2D {
  return tf.tidy(() => {
    const images = "images" in source
      ? mnistTensor(source, start, count)
      : tf.slice(source, [start, 0, 0, 0], [count, 28, 28, 1]); //           [count, 28, 28, 1]
    return model ? model.features(images) : tf.reshape(images, [count, 784]); // [count, D]
  });
}

/**
 * The nearest training image of each generated image: Euclidean distance in pixel space, or in
 * the classifier's feature space when `model` is given. A generator that memorises shows
 * distances far below those of real test images to the training set.
 */
export function nearestNeighbour(
  generated: tf.Tensor4D, train: tf.Tensor4D | Mnist, model?: MnistClassifier, chunk = 2000,
): Neighbours {
  const n = generated.shape[0];
  const total = "images" in train ? train.count : train.shape[0];
  const best = new Float64Array(n).fill(Infinity);
  const index = new Int32Array(n).fill(-1);
  const g = rowsOf(generated, 0, n, model); //                              [N, D]
  const gNorm = tf.tidy(() => tf.sum(tf.square(g), 1, true)); //            [N, 1]
  for (let start = 0; start < total; start += chunk) {
    const size = Math.min(chunk, total - start);
    const d2 = tf.tidy(() => {
      const t = rowsOf(train, start, size, model); //                         [T, D]
      const tNorm = tf.reshape(tf.sum(tf.square(t), 1), [1, size]); //      [1, T]
      return tf.add(tf.sub(gNorm, tf.mul(2, tf.matMul(g, t, false, true))), tNorm); // [N, T]
    });
    const values = d2.dataSync();
    d2.dispose();
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < size; j++) {
        const v = values[i * size + j]!;
        if (v < best[i]!) {
          best[i] = v;
          index[i] = start + j;
        }
      }
    }
  }
  tf.dispose([g, gNorm]);
  return { index, distance: best.map((v) => Math.sqrt(Math.max(v, 0))) };
}

export interface ClassHistogram {
  /** Images predicted as each digit 0–9. */
  counts: number[];
  /** counts / N. */
  fractions: number[];
  /** Entropy of the fractions in bits: log₂ 10 ≈ 3.32 for balanced classes, 0 if all alike. */
  entropyBits: number;
  /** Digits no image was predicted as (a sign of mode collapse). */
  missing: number[];
}

/** How the classifier labels the generated images: a check for mode collapse and class bias. */
export function classHistogram(model: MnistClassifier, generated: tf.Tensor4D): ClassHistogram {
  const labels = predictLabels(model, generated);
  const counts = new Array<number>(model.config.classes).fill(0);
  for (const l of labels) counts[l]!++;
  const fractions = counts.map((c) => c / Math.max(labels.length, 1));
  const entropyBits = -fractions.reduce((s, p) => (p > 0 ? s + p * Math.log2(p) : s), 0);
  const missing = counts.flatMap((c, d) => (c === 0 ? [d] : []));
  return { counts, fractions, entropyBits, missing };
}
