/**
 * A synthetic-image detector: a small convolutional classifier trained to tell real MNIST
 * digits (label 0) from a generator's samples (label 1). Its output logit is the "fake" score;
 * ROC and AUC (roc.ts) say how well it separates held-out images. Trained on one generator's
 * fakes, it is then tested on another's: detectors tend to learn their generator's artefacts,
 * not "fakeness", and fail to carry over.
 */
import { CourseError } from "../errors";
import { adam, conv, dense, leaky } from "../nn/layers";
import { Params } from "../nn/params";
import type { Rng } from "../random";
import { tf } from "../tf";
import { convFlops, denseFlops } from "./energy";

export interface DetectorConfig {
  /** Channels of the two stride-2 3×3 convolutions (28 → 14 → 7). */
  channels: [number, number];
  /** Width of the hidden dense layer. */
  hidden: number;
}

export const DETECTOR_CONFIG: DetectorConfig = { channels: [16, 32], hidden: 64 };

export interface DetectorTraining {
  /** Optimiser steps. */
  steps: number;
  /** Images per step: half real, half fake. */
  batchSize: number;
  /** Adam's step size. */
  learningRate: number;
}

export class FakeDetector {
  readonly params: Params;
  private readonly layers: {
    c1: (x: tf.Tensor4D) => tf.Tensor4D; c2: (x: tf.Tensor4D) => tf.Tensor4D;
    d1: (x: tf.Tensor2D) => tf.Tensor2D; d2: (x: tf.Tensor2D) => tf.Tensor2D;
  };

  constructor(readonly config: DetectorConfig, rng: Rng) {
    const [a, b] = config.channels;
    this.params = new Params(rng);
    this.layers = {
      c1: conv(this.params, "c1", 3, 1, a, 2), c2: conv(this.params, "c2", 3, a, b, 2),
      d1: dense(this.params, "d1", 7 * 7 * b, config.hidden), d2: dense(this.params, "d2", config.hidden, 1),
    };
  }

  /** The "fake" logit of each image.  images: [N, 28, 28, 1] in [0, 1] → [N] */
  logits(images: tf.Tensor4D): tf.Tensor1D {
    if (images.rank !== 4 || images.shape[1] !== 28 || images.shape[2] !== 28 || images.shape[3] !== 1) {
      throw new CourseError(`FakeDetector takes [N, 28, 28, 1] images in [0, 1], got shape [${images.shape.join(", ")}].`);
    }
    return tf.tidy(() => {
      const { c1, c2, d1, d2 } = this.layers;
      const h = leaky(c2(leaky(c1(tf.sub(images, 0.5) as tf.Tensor4D)))); // [N, 7, 7, C2]
      const flat = tf.reshape(h, [images.shape[0], -1]) as tf.Tensor2D; //    [N, 49·C2]
      return tf.reshape(d2(leaky(d1(flat))), [images.shape[0]]) as tf.Tensor1D; // [N]
    });
  }

  /** Forward FLOPs per image, counted from the layer shapes. */
  flopsPerImage(): number {
    const [a, b] = this.config.channels;
    return convFlops(14, 14, 3, 1, a) + convFlops(7, 7, 3, a, b) + denseFlops(49 * b, this.config.hidden) + denseFlops(this.config.hidden, 1);
  }

  dispose(): void {
    this.params.dispose();
  }
}

/** Logistic loss of logits against 0/1 labels (mean over the batch). */
function bceLoss(logits: tf.Tensor1D, labels: tf.Tensor1D): tf.Scalar {
  return tf.losses.sigmoidCrossEntropy(labels, logits) as tf.Scalar;
}

/** Rows `idx` of a stack of images.  [N, 28, 28, 1] → [idx.length, 28, 28, 1] */
function rowsOf(images: tf.Tensor4D, idx: number[]): tf.Tensor4D {
  return tf.gather(images, tf.tensor1d(idx, "int32")) as tf.Tensor4D;
}

/**
 * Train on real vs fake images (both [N, 28, 28, 1] in [0, 1]), each batch's images drawn from
 * `batches` (e.g. `streams.batches`); returns the loss of every step.
 */
export async function trainDetector(
  detector: FakeDetector, real: tf.Tensor4D, fake: tf.Tensor4D, t: DetectorTraining, batches: Rng,
): Promise<number[]> {
  const opt = adam(t.learningRate), half = Math.floor(t.batchSize / 2);
  const labels = tf.concat([tf.zeros([half]), tf.ones([half])]) as tf.Tensor1D; // [B]
  const losses: number[] = [];
  for (let step = 0; step < t.steps; step++) {
    const r = Array.from({ length: half }, () => batches.int(real.shape[0]));
    const f = Array.from({ length: half }, () => batches.int(fake.shape[0]));
    const loss = opt.minimize(() => tf.tidy(() => {
      const x = tf.concat([rowsOf(real, r), rowsOf(fake, f)]) as tf.Tensor4D; //   [B, 28, 28, 1]
      return bceLoss(detector.logits(x), labels);
    }), true, detector.params.vars)!;
    losses.push((await loss.data())[0]!);
    loss.dispose();
  }
  labels.dispose();
  opt.dispose();
  return losses;
}

/** The detector's fake score (logit) of every image, in batches.  [N, 28, 28, 1] → N numbers */
export function detectorScores(detector: FakeDetector, images: tf.Tensor4D, batchSize = 500): Float32Array {
  const out = new Float32Array(images.shape[0]);
  for (let i = 0; i < images.shape[0]; i += batchSize) {
    const n = Math.min(batchSize, images.shape[0] - i);
    const s = tf.tidy(() => detector.logits(tf.slice(images, [i, 0, 0, 0], [n, 28, 28, 1])));
    out.set(s.dataSync(), i);
    s.dispose();
  }
  return out;
}
