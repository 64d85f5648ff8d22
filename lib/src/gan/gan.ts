/**
 * A GAN: the two players, their two Adam optimisers, and one training step — a discriminator
 * step on a real and a fake batch, then a generator step through the (just updated)
 * discriminator. Sampling helpers give the fixed noise of a live sample grid and balanced labels.
 */
import { CourseError } from "../errors";
import { adam, type CheckpointInfo, type Adam, fromSigned, type ImageGenerator, type MnistBatch, Params, saveCheckpoint, toSigned } from "../nn";
import type { Rng } from "../random";
import { tf } from "../tf";
import { imageGrid } from "../show/png";
import type { GanConfig } from "./config";
import { discriminatorLoss, generatorLoss } from "./losses";
import { Discriminator, Generator } from "./models";

export interface GanOptimiserOptions {
  /** Adam's step size for both players. */
  learningRate: number;
  /** Adam's β1 for both players. */
  beta1: number;
}

/** The `kind` a GAN checkpoint's model.json records. */
export const GAN_KIND = "gan";
/** The command that rebuilds the lesson's checkpoint. */
export const GAN_RETRAIN = "npm run quality -- 07 --save-checkpoints --json /tmp/q07.json";

export class Gan implements ImageGenerator<GanConfig> {
  readonly kind = GAN_KIND;
  /** Both players' parameters: "g.…" then "d.…" (what a checkpoint saves). */
  readonly params: Params;
  readonly generator: Generator;
  readonly discriminator: Discriminator;
  readonly optG: Adam;
  readonly optD: Adam;

  /** Both players initialised from `rng` (G first), each with its own Adam. */
  constructor(readonly config: GanConfig, rng: Rng, options: GanOptimiserOptions = { learningRate: 2e-4, beta1: 0.5 }) {
    this.params = new Params(rng);
    this.generator = new Generator(config, this.params);
    this.discriminator = new Discriminator(config, this.params);
    this.optG = adam(options.learningRate, options.beta1);
    this.optD = adam(options.learningRate, options.beta1);
  }

  /** Set both optimisers' step size (for a schedule). */
  setLearningRate(learningRate: number): void {
    for (const opt of [this.optG, this.optD]) opt.setLearningRate(learningRate);
  }

  /** G(z, labels): images in [−1, 1].  z [B, Z] → [B, 28, 28, 1] */
  generate(z: tf.Tensor2D, labels?: tf.Tensor1D): tf.Tensor4D {
    return this.generator.apply(z, labels);
  }

  /** D's logits for images in [−1, 1].  [B, 28, 28, 1] → [B, 1] */
  discriminate(images: tf.Tensor4D, labels?: tf.Tensor1D): tf.Tensor2D {
    return this.discriminator.apply(images, labels);
  }

  /** Both players' variables, G's then D's (each player's optimiser takes its own: gVars, dVars). */
  get variables(): tf.Variable[] {
    return this.params.vars;
  }

  /**
   * The discriminator's loss on a batch of real images and as many of G's fakes, z drawn from
   * `rng`: the value the two players fight over (D lowers it, G raises it).
   */
  loss(batch: MnistBatch, rng: Rng): tf.Scalar {
    return tf.tidy(() => {
      const labels = this.config.classes > 0 ? batch.labels : undefined;
      const z = noiseFrom(rng, batch.images.shape[0], this.config.zDim); //    [B, Z]
      const fake = this.generate(z, labels); //                                [B, 28, 28, 1]
      return discriminatorLoss(this.discriminate(toSigned(batch.images), labels), this.discriminate(fake, labels));
    });
  }

  /** `n` images in [0, 1] from noise drawn by `rng` (balanced digits when conditional).  → [n, 28, 28, 1] */
  sample(n: number, rng: Rng): tf.Tensor4D {
    return generateImages(this, n, rng);
  }

  /** Save both players as a checkpoint in `dir` (model.json + weights.bin). */
  save(dir: string, training: Record<string, unknown>): CheckpointInfo<GanConfig> {
    return saveCheckpoint(dir, this.kind, this.config, this.params, training, GAN_RETRAIN);
  }

  get gVars(): tf.Variable[] {
    return this.generator.vars;
  }

  get dVars(): tf.Variable[] {
    return this.discriminator.vars;
  }

  dispose(): void {
    this.optG.dispose();
    this.optD.dispose();
    this.params.dispose();
  }
}

/** The losses of one training step (scalars the caller disposes). */
export interface GanStepLosses {
  dLoss: tf.Scalar;
  gLoss: tf.Scalar;
}

/**
 * D's half of a step: one Adam step of `gan.optD` on the discriminator's loss for `real` (images in
 * [−1, 1]) against `realTarget` and `fake` against 0, over D's variables only.  → D's loss
 */
export function discriminatorStep(
  gan: Gan, real: tf.Tensor4D, fake: tf.Tensor4D, labels?: tf.Tensor1D, realTarget = 1,
): tf.Scalar {
  const loss = () => discriminatorLoss(gan.discriminate(real, labels), gan.discriminate(fake, labels), realTarget);
  return gan.optD.minimize(loss, true, gan.dVars) as tf.Scalar;
}

/**
 * G's half of a step: one Adam step of `gan.optG` on the non-saturating loss of D(G(z)), the
 * gradient flowing through D (whose variables stay as they are) into G's.  → G's loss
 */
export function generatorStep(gan: Gan, z: tf.Tensor2D, labels?: tf.Tensor1D): tf.Scalar {
  const loss = () => generatorLoss(gan.discriminate(gan.generate(z, labels), labels));
  return gan.optG.minimize(loss, true, gan.gVars) as tf.Scalar;
}

/**
 * One D step then one G step (Goodfellow et al. 2014, algorithm 1 with k = 1). D learns on the
 * fakes G(z) made outside its gradient tape (to D they are data); G then learns through the just
 * updated D, on the same z and labels.
 */
export function ganStep(
  gan: Gan, real: tf.Tensor4D, z: tf.Tensor2D, labels?: tf.Tensor1D, realTarget = 1,
): GanStepLosses {
  const fake = tf.tidy(() => gan.generate(z, labels)); //                     [B, 28, 28, 1]
  let dLoss: tf.Scalar;
  try {
    dLoss = discriminatorStep(gan, real, fake, labels, realTarget);
  } finally {
    fake.dispose();
  }
  return { dLoss, gLoss: generatorStep(gan, z, labels) };
}

/** Standard-normal noise from `rng`.  → [n, zDim] */
export function noiseFrom(rng: Rng, n: number, zDim: number): tf.Tensor2D {
  return tf.tensor2d(Float32Array.from({ length: n * zDim }, () => rng.normal()), [n, zDim]);
}

/** Labels 0, 1, …, K−1, 0, 1, … (each class equally often when K divides n).  → [n] int32 */
export function balancedLabels(n: number, classes: number): tf.Tensor1D {
  if (!(classes >= 1)) throw new CourseError(`balancedLabels(): classes must be ≥ 1, got ${classes}.`);
  return tf.tensor1d(Int32Array.from({ length: n }, (_, i) => i % classes), "int32");
}

/** Labels with digit d in row d of a grid of `cols` columns: ⌊i / cols⌋ mod K.  → [n] int32 */
export function rowLabels(n: number, cols: number, classes: number): tf.Tensor1D {
  return tf.tensor1d(Int32Array.from({ length: n }, (_, i) => Math.floor(i / cols) % classes), "int32");
}

/**
 * `n` generated images in [0, 1] (what the classifier, FID and KID take), made in batches of
 * `batchSize` from noise drawn by `rng`; a conditional GAN gets balanced labels.  → [n, 28, 28, 1]
 */
export function generateImages(gan: Gan, n: number, rng: Rng, batchSize = 100): tf.Tensor4D {
  const parts: tf.Tensor4D[] = [];
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    parts.push(tf.tidy(() => {
      const z = noiseFrom(rng, size, gan.config.zDim); //                     [b, Z]
      const labels = gan.config.classes > 0 ? balancedLabels(size, gan.config.classes) : undefined;
      return fromSigned(gan.generate(z, labels)); //                          [b, 28, 28, 1]
    }));
  }
  const all = tf.concat(parts, 0); //                                         [n, 28, 28, 1]
  tf.dispose(parts);
  return all;
}

/** A PNG grid of G(z, labels) (labels only for a conditional GAN), `cols` images per row. */
export function sampleGrid(gan: Gan, z: tf.Tensor2D, labels?: tf.Tensor1D, cols = 10, scale = 2): Uint8Array {
  const images = tf.tidy(() => gan.generate(z, labels)); //                   [N, 28, 28, 1]
  try {
    return imageGrid(images, { cols, scale, range: "signed" });
  } finally {
    images.dispose();
  }
}
