/**
 * A convolutional variational autoencoder for 28×28 MNIST digits (Kingma & Welling 2013, with
 * convolutions in place of their MLPs). The encoder maps an image to the mean μ and the log
 * variance log σ² of a diagonal Gaussian q(z | x) over Z latent dimensions; the decoder maps a
 * latent code z to 784 Bernoulli logits, one per pixel, p(x | z). Samples come from the prior
 * N(0, I) pushed through the decoder.
 *
 *   encoder  x [B, 28, 28, 1] → conv 4×4/2 c1, relu → conv 4×4/2 c2, relu → dense → μ, log σ² [B, Z]
 *   decoder  z [B, Z] → dense 7·7·c2, relu → conv-transpose 4×4/2 c1, relu → conv-transpose 4×4/2 1
 */
import { CourseError, assertShape } from "../errors";
import { type CheckpointInfo, saveCheckpoint } from "../nn/checkpoint";
import type { ImageGenerator } from "../nn/generator";
import { type Layer, conv, convTranspose, dense } from "../nn/layers";
import type { MnistBatch } from "../nn/mnist-batches";
import { Params } from "../nn/params";
import type { Rng } from "../random";
import { tf } from "../tf";
import { latentNoise, negElbo } from "./loss";

/** The `kind` a VAE checkpoint's model.json records. */
export const VAE_CHECKPOINT_KIND = "conv-vae";
/** The command that rebuilds the lesson's checkpoint. */
export const VAE_RETRAIN_COMMAND = "npm run quality -- 06 --save-checkpoints --json /tmp/q06.json";

export interface ConvVaeConfig {
  /** Latent dimensions (Z): 16 for the measured model, 2 for a latent space you can plot. */
  latentSize: number;
  /** Channels of the encoder's two stride-2 convolutions [c1, c2]; the decoder mirrors them. */
  channels: [number, number];
}

/** The six layers of a ConvVae, as functions (their weights live in the model's Params). */
export interface VaeLayers {
  /** conv 4×4, stride 2, 1 → c1.  [B, 28, 28, 1] → [B, 14, 14, c1] */
  enc1: Layer<tf.Tensor4D>;
  /** conv 4×4, stride 2, c1 → c2.  [B, 14, 14, c1] → [B, 7, 7, c2] */
  enc2: Layer<tf.Tensor4D>;
  /** dense 7·7·c2 → 2Z: μ in the first Z columns, log σ² in the last Z.  [B, 49·c2] → [B, 2Z] */
  stats: Layer<tf.Tensor2D>;
  /** dense Z → 7·7·c2.  [B, Z] → [B, 49·c2] */
  dec0: Layer<tf.Tensor2D>;
  /** conv-transpose 4×4, stride 2, c2 → c1.  [B, 7, 7, c2] → [B, 14, 14, c1] */
  dec1: Layer<tf.Tensor4D>;
  /** conv-transpose 4×4, stride 2, c1 → 1: the logits.  [B, 14, 14, c1] → [B, 28, 28, 1] */
  dec2: Layer<tf.Tensor4D>;
}

/** The encoder's output: the parameters of q(z | x). */
export interface Posterior {
  /** Means.  [B, Z] */
  mu: tf.Tensor2D;
  /** Log variances log σ².  [B, Z] */
  logVar: tf.Tensor2D;
}

/** Throw a readable error unless the config describes a buildable model. */
export function checkVaeConfig(c: ConvVaeConfig): void {
  const ok = (v: unknown) => typeof v === "number" && Number.isInteger(v) && v >= 1;
  if (!ok(c.latentSize)) throw new CourseError(`ConvVaeConfig.latentSize must be an integer ≥ 1, got ${String(c.latentSize)}.`);
  if (!Array.isArray(c.channels) || c.channels.length !== 2 || !c.channels.every(ok)) {
    throw new CourseError(`ConvVaeConfig.channels must be two integers ≥ 1 such as [32, 64], got ${JSON.stringify(c.channels)}.`);
  }
}

/** Create the layers (and their seeded weights in `p`) for `config`. */
export function vaeLayers(p: Params, config: ConvVaeConfig): VaeLayers {
  checkVaeConfig(config);
  const [c1, c2] = config.channels, Z = config.latentSize;
  return {
    enc1: conv(p, "enc1", 4, 1, c1, 2),
    enc2: conv(p, "enc2", 4, c1, c2, 2),
    stats: dense(p, "stats", 7 * 7 * c2, 2 * Z),
    dec0: dense(p, "dec0", Z, 7 * 7 * c2),
    dec1: convTranspose(p, "dec1", 4, c2, c1, 2),
    dec2: convTranspose(p, "dec2", 4, c1, 1, 2),
  };
}

/** The stats layer's output as q(z | x): μ is its first Z columns, log σ² the last Z.  [B, 2Z] → 2 × [B, Z] */
export function splitPosterior(stats: tf.Tensor2D): Posterior {
  const [B, width] = stats.shape;
  if (width % 2 !== 0) {
    throw new CourseError(`splitPosterior(stats): stats must be [B, 2Z] (μ then log σ²), got [${B}, ${width}]: an odd width.`);
  }
  return tf.tidy(() => {
    const [mu, logVar] = tf.split(stats, 2, 1) as [tf.Tensor2D, tf.Tensor2D]; // [B, Z] each
    return { mu, logVar };
  });
}

/** The encoder: images in [0, 1] → μ and log σ² of q(z | x).  x: [B, 28, 28, 1] → 2 × [B, Z] */
export function encodeWith(layers: VaeLayers, x: tf.Tensor4D): Posterior {
  return tf.tidy(() => {
    const features = tf.relu(layers.enc2(tf.relu(layers.enc1(x)))); //          [B, 7, 7, c2]
    const flat = tf.reshape(features, [x.shape[0], -1]) as tf.Tensor2D; //      [B, 49·c2]
    const { mu, logVar } = splitPosterior(layers.stats(flat)); //              [B, 2Z] → 2 × [B, Z]
    return { mu, logVar };
  });
}

/** The decoder: latent codes → Bernoulli logits of every pixel.  z: [B, Z] → [B, 28, 28, 1] */
export function decodeWith(layers: VaeLayers, z: tf.Tensor2D): tf.Tensor4D {
  return tf.tidy(() => {
    const B = z.shape[0];
    const h = tf.reshape(tf.relu(layers.dec0(z)), [B, 7, 7, -1]); //          [B, 7, 7, c2]
    return layers.dec2(tf.relu(layers.dec1(h as tf.Tensor4D))); //               [B, 28, 28, 1]
  });
}

/** A convolutional VAE: `new ConvVae(config, rng)`, then trainVae, sample, reconstruct. */
export class ConvVae implements ImageGenerator<ConvVaeConfig> {
  readonly kind = VAE_CHECKPOINT_KIND;
  readonly name = VAE_CHECKPOINT_KIND;
  readonly params: Params;
  readonly layers: VaeLayers;

  constructor(readonly config: ConvVaeConfig, rng: Rng) {
    this.params = new Params(rng);
    this.layers = vaeLayers(this.params, config);
  }

  /** The variables an optimiser trains. */
  get variables(): tf.Variable[] {
    return this.params.vars;
  }

  /** μ and log σ² of q(z | x) for images in [0, 1].  x: [B, 28, 28, 1] → 2 × [B, Z] */
  encode(x: tf.Tensor4D): Posterior {
    assertShape(x.shape, [null, 28, 28, 1], "ConvVae.encode(x): images");
    return encodeWith(this.layers, x);
  }

  /** Bernoulli logits of p(x | z).  z: [B, Z] → [B, 28, 28, 1] */
  decode(z: tf.Tensor2D): tf.Tensor4D {
    assertShape(z.shape, [null, this.config.latentSize], "ConvVae.decode(z): latent codes");
    return decodeWith(this.layers, z);
  }

  /** Mean images σ(decode(z)) in [0, 1].  z: [B, Z] → [B, 28, 28, 1] */
  decodeMean(z: tf.Tensor2D): tf.Tensor4D {
    return tf.tidy(() => tf.sigmoid(this.decode(z)));
  }

  /** `n` prior draws z ~ N(0, I) from `rng`, decoded to mean images.  → [n, 28, 28, 1] */
  sample(n: number, rng: Rng): tf.Tensor4D {
    if (!(Number.isInteger(n) && n >= 1)) throw new CourseError(`ConvVae.sample(n): n must be an integer ≥ 1, got ${n}.`);
    const Z = this.config.latentSize;
    const z = tf.tensor2d(Float32Array.from({ length: n * Z }, () => rng.normal()), [n, Z]); // [n, Z]
    try {
      return this.decodeMean(z);
    } finally {
      z.dispose();
    }
  }

  /** −ELBO of a batch in nats per image, ε ~ N(0, I) drawn from `rng` (the training loss). */
  loss(batch: MnistBatch, rng: Rng): tf.Scalar {
    const eps = latentNoise(rng, batch.images.shape[0], this.config.latentSize); //  [B, Z]
    try {
      return negElbo(this, batch.images, eps);
    } finally {
      eps.dispose();
    }
  }

  /** Save as a checkpoint in `dir` (model.json + weights.bin). */
  save(dir: string, training: Record<string, unknown>): CheckpointInfo<ConvVaeConfig> {
    return saveCheckpoint(dir, this.kind, this.config, this.params, training, VAE_RETRAIN_COMMAND);
  }

  /** Reconstructions: each image through μ of its code (no noise).  [B, 28, 28, 1] → [B, 28, 28, 1] */
  reconstruct(x: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => this.decodeMean(this.encode(x).mu));
  }

  /** Number of scalar parameters. */
  parameterCount(): number {
    return this.params.count();
  }

  /** Free the parameters' memory. */
  dispose(): void {
    this.params.dispose();
  }
}
