/**
 * The VAE's objective, the evidence lower bound (Kingma & Welling 2013, eq. 3 and 10):
 *
 *   ELBO(x) = E_q(z|x)[log p(x | z)] − KL(q(z | x) ‖ N(0, I))  ≤  log p(x)
 *
 * with q(z | x) = N(μ, diag σ²) from the encoder, the expectation estimated with one sample
 * z = μ + σ·ε (the reparameterisation trick), and p(x | z) a Bernoulli per pixel whose logits
 * come from the decoder. Grey levels in [0, 1] are used as the Bernoulli targets, as in the
 * paper's MNIST experiments. All terms are in nats.
 */
import { CourseError, formatShape } from "../errors";
import type { Rng } from "../random";
import { tf } from "../tf";
import type { ConvVae } from "./model";

function sameShape(a: tf.Tensor, b: tf.Tensor, what: string): void {
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new CourseError(`${what}: shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} must be equal.`);
  }
}

/** z = μ + exp(½ log σ²)·ε: a draw from N(μ, σ²) that gradients flow through (eq. 10).  [B, Z] */
export function reparameterise(mu: tf.Tensor2D, logVar: tf.Tensor2D, eps: tf.Tensor2D): tf.Tensor2D {
  sameShape(mu, logVar, "reparameterise(mu, logVar, eps)");
  sameShape(mu, eps, "reparameterise(mu, logVar, eps)");
  return tf.tidy(() => tf.add(mu, tf.mul(tf.exp(tf.mul(logVar, 0.5)), eps)));
}

/**
 * KL(N(μ, σ²) ‖ N(0, 1)) summed over the latent dimensions, per image (appendix B):
 * −½ Σ_j (1 + log σ_j² − μ_j² − σ_j²).  mu, logVar: [B, Z] → [B]
 */
export function klDivergence(mu: tf.Tensor2D, logVar: tf.Tensor2D): tf.Tensor1D {
  sameShape(mu, logVar, "klDivergence(mu, logVar)");
  return tf.tidy(() => {
    const terms = tf.sub(tf.add(1, logVar), tf.add(tf.square(mu), tf.exp(logVar))); // [B, Z]
    return tf.mul(tf.sum(terms, 1), -0.5) as tf.Tensor1D; //                            [B]
  });
}

/**
 * log p(x | z) of Bernoulli pixels with the given logits ℓ, summed over the pixels of each image:
 * Σ x·ℓ − softplus(ℓ) = Σ x·log σ(ℓ) + (1 − x)·log(1 − σ(ℓ)), with softplus(ℓ) written as
 * relu(ℓ) + log(1 + exp(−|ℓ|)) so it never overflows.  x, logits: [B, 28, 28, 1] → [B]
 */
export function bernoulliLogLikelihood(x: tf.Tensor4D, logits: tf.Tensor4D): tf.Tensor1D {
  sameShape(x, logits, "bernoulliLogLikelihood(x, logits)");
  return tf.tidy(() => {
    const softplus = tf.add(tf.relu(logits), tf.log1p(tf.exp(tf.neg(tf.abs(logits))))); // [B, 28, 28, 1]
    return tf.sum(tf.sub(tf.mul(x, logits), softplus), [1, 2, 3]) as tf.Tensor1D; //      [B]
  });
}

/** ELBO per image: log p(x | z) − KL, mean over the batch (a scalar, nats per image). */
export function elbo(x: tf.Tensor4D, logits: tf.Tensor4D, mu: tf.Tensor2D, logVar: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.sub(bernoulliLogLikelihood(x, logits), klDivergence(mu, logVar))) as tf.Scalar);
}

/** The ELBO's two terms per image for one noise draw: what training and evaluation need. */
export interface ElboTerms {
  /** log p(x | z) per image.  [B] */
  logLikelihood: tf.Tensor1D;
  /** KL(q(z | x) ‖ p(z)) per image.  [B] */
  kl: tf.Tensor1D;
}

/** Encode, reparameterise with `eps`, decode and score.  x: [B, 28, 28, 1], eps: [B, Z] */
export function elboTerms(model: ConvVae, x: tf.Tensor4D, eps: tf.Tensor2D): ElboTerms {
  return tf.tidy(() => {
    const { mu, logVar } = model.encode(x); //                                 [B, Z] each
    const logits = model.decode(reparameterise(mu, logVar, eps)); //          [B, 28, 28, 1]
    return { logLikelihood: bernoulliLogLikelihood(x, logits), kl: klDivergence(mu, logVar) };
  });
}

/** The training loss: −ELBO averaged over the batch (nats per image).  → scalar */
export function negElbo(model: ConvVae, x: tf.Tensor4D, eps: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const { logLikelihood, kl } = elboTerms(model, x, eps);
    return tf.mean(tf.sub(kl, logLikelihood)) as tf.Scalar;
  });
}

/** Standard-normal noise ε from `rng`.  → [B, Z] */
export function latentNoise(rng: Rng, batchSize: number, latentSize: number): tf.Tensor2D {
  const values = Float32Array.from({ length: batchSize * latentSize }, () => rng.normal());
  return tf.tensor2d(values, [batchSize, latentSize]);
}
