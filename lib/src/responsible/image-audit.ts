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
import { tf } from "../setup";

export interface ImageMemorisation extends Memorisation {
  /** Median distance of the samples and of held-out real images to their nearest training image. */
  medianGenerated: number;
  medianHeldOut: number;
}

const median = (xs: Float64Array) => Float64Array.from(xs).sort()[Math.floor(xs.length / 2)]!;

/** Nearest-training-image check of `generated` against as many held-out test images (seeded), q = 1 %. */
export function imageMemorisation(generated: tf.Tensor4D, seed = 0, q = 0.01): ImageMemorisation {
  const train = loadMnist("train");
  const heldOut = sampleMnist("test", generated.shape[0], seed);
  try {
    const g = nearestNeighbour(generated, train).distance, h = nearestNeighbour(heldOut, train).distance;
    return { ...memorisation(g, h, q), medianGenerated: median(g), medianHeldOut: median(h) };
  } finally {
    heldOut.dispose();
  }
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
