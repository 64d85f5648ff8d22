/**
 * Audits of image generators with lesson 10's tools: how close each sample is to its nearest
 * training image compared with held-out real images (memorisation), and which digits the
 * course's classifier reads in samples drawn without asking for a digit (class balance:
 * mode dropping is a bias towards the digits the generator finds easy).
 */
import { loadMnist } from "../data/mnist";
import { loadClassifier } from "../eval/checkpoint";
import { type ClassHistogram, classHistogram, nearestNeighbour, sampleMnist } from "../eval/evaluate";
import { type Memorisation, memorisation } from "../eval/memorisation";
import type { Rng } from "../random";
import { tf } from "../tf";

export interface ImageMemorisation extends Memorisation {
  /** Median distance of the samples and of held-out real images to their nearest training image. */
  medianGenerated: number;
  medianHeldOut: number;
}

const median = (xs: Float64Array) => Float64Array.from(xs).sort()[Math.floor(xs.length / 2)]!;

/**
 * Distance of each image to its nearest image among the first `pool` MNIST training images (all
 * 60,000 by default: what the generators trained on; fewer only to keep smoke runs fast).
 */
export function nearestTrainingDistances(images: tf.Tensor4D, pool?: number): Float64Array {
  const train = loadMnist("train");
  return nearestNeighbour(images, pool ? { ...train, count: Math.min(pool, train.count) } : train).distance;
}

/** Distances of `n` held-out test images (picked by `rng`, e.g. `streams.eval`) to the training set: the baseline. */
export function heldOutDistances(n: number, rng: Rng, pool?: number): Float64Array {
  const heldOut = sampleMnist("test", n, rng);
  try {
    return nearestTrainingDistances(heldOut, pool);
  } finally {
    heldOut.dispose();
  }
}

/** Nearest-training-image check of `generated` against held-out distances, q = 1 % by default. */
export function imageMemorisation(generated: tf.Tensor4D, heldOut: Float64Array, pool?: number, q = 0.01): ImageMemorisation {
  const g = nearestTrainingDistances(generated, pool);
  return { ...memorisation(g, heldOut, q), medianGenerated: median(g), medianHeldOut: median(heldOut) };
}

/** The classifier's digit histogram of `images`, and the largest over the smallest class share. */
export function classBalance(images: tf.Tensor4D): ClassHistogram & { maxOverMin: number } {
  const model = loadClassifier();
  try {
    const h = classHistogram(model, images);
    return { ...h, maxOverMin: Math.max(...h.fractions) / Math.max(Math.min(...h.fractions), 1e-9) };
  } finally {
    model.dispose();
  }
}
