/**
 * Every metric of lesson 10 for one set of generated images, against one fixed reference:
 * FID and KID (distribution distance), precision and recall (quality and coverage, apart), the
 * class histogram's entropy (mode dropping, class bias) and the memorised fraction (copies).
 * Build the reference once per n (`evaluationReference`), then score each generator with it.
 */
import { type Mnist, loadMnist } from "../data/mnist";
import { CourseError } from "../errors";
import { tf } from "../tf";
import type { MnistClassifier } from "./classifier";
import { classHistogram, featuresOf, nearestNeighbour, sampleMnist } from "./evaluate";
import { fid } from "./fid";
import { kid } from "./kid";
import type { Matrix } from "./linalg";
import { memorisation, quantile } from "./memorisation";
import { precisionRecall } from "./precision-recall";

export interface EvaluationReference {
  model: MnistClassifier;
  /** Images per set: generated sets must have exactly n images. */
  n: number;
  /** Features of n training images (seed + 1): what FID, KID, precision and recall compare with. */
  trainFeatures: Matrix;
  /** The training images the memorisation check searches (a generator's training set). */
  pool: Mnist;
  /** Nearest-pool pixel distances of n held-out test images (seed): the memorisation threshold's source. */
  heldOutDistances: Float64Array;
  /** The n held-out test images themselves (the real-vs-real floor scores them); dispose with the reference. */
  heldOut: tf.Tensor4D;
}

export interface ReferenceOptions {
  /** Seed of the draws, as in realFloor (test images by seed, training images by seed + 1). */
  seed?: number;
  /** How many of MNIST's training images (from the first) the memorisation check searches (default 10,000). */
  pool?: number;
}

/** The fixed reference every generated set of n images is scored against. */
export function evaluationReference(model: MnistClassifier, n: number, options: ReferenceOptions = {}): EvaluationReference {
  const seed = options.seed ?? 0;
  const pool = loadMnist("train", { limit: options.pool ?? 10_000 });
  if (!(Number.isInteger(n) && n >= 10)) throw new CourseError(`evaluationReference(): n must be an integer ≥ 10, got ${n}.`);
  const train = sampleMnist("train", n, seed + 1);
  const trainFeatures = featuresOf(model, train);
  train.dispose();
  const heldOut = sampleMnist("test", n, seed);
  const heldOutDistances = nearestNeighbour(heldOut, pool).distance;
  return { model, n, trainFeatures, pool, heldOutDistances, heldOut };
}

export interface GeneratorScores {
  n: number;
  fid: number;
  kid: number;
  kidStd: number;
  precision: number;
  recall: number;
  /** Entropy of the predicted digits in bits (log₂ 10 ≈ 3.32 when balanced). */
  entropyBits: number;
  /** Digits no image was classified as. */
  missing: number[];
  /** Fraction of images closer to the pool than the q-quantile of held-out images (≈ q when new). */
  memorised: number;
  /** Median distance to the nearest pool image, in pixels. */
  medianPoolDistance: number;
}

export interface ScoreOptions {
  /** k of the precision/recall radii (default 3, as in Kynkäänniemi et al.). */
  k?: number;
  /** Quantile q of the memorisation rule (default 0.01). */
  q?: number;
  /** KID subset seed (default 0). */
  seed?: number;
}

/** All of lesson 10's metrics for `images` [n, 28, 28, 1] in [0, 1] (the caller keeps them). */
export function scoreGenerator(ref: EvaluationReference, images: tf.Tensor4D, options: ScoreOptions = {}): GeneratorScores {
  if (images.shape[0] !== ref.n) {
    throw new CourseError(`scoreGenerator(): the reference was built for n = ${ref.n} images, got ${images.shape[0]}. Scores only compare at the same n.`);
  }
  const features = featuresOf(ref.model, images);
  const k = kid(features, ref.trainFeatures, { seed: options.seed ?? 0 });
  const pr = precisionRecall(ref.trainFeatures, features, options.k ?? 3);
  const hist = classHistogram(ref.model, images);
  const nearest = nearestNeighbour(images, ref.pool).distance;
  return {
    n: ref.n, fid: fid(features, ref.trainFeatures), kid: k.kid, kidStd: k.std,
    precision: pr.precision, recall: pr.recall, entropyBits: hist.entropyBits, missing: hist.missing,
    memorised: memorisation(nearest, ref.heldOutDistances, options.q ?? 0.01).fraction,
    medianPoolDistance: quantile(nearest, 0.5),
  };
}
