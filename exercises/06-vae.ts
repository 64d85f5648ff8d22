// Exercise file generated from solutions/06-vae.ts by `npm run exercises`.
// Replace each TODO + throw with your code; `npm run grade` checks it. The generator never
// overwrites this file once you have changed it.
/**
 * Lesson 06 — autoencoders and variational autoencoders on MNIST: the conv encoder and decoder,
 * the reparameterisation trick, the KL term, the ELBO, and paths through the latent space.
 */
import { NotImplementedError, tf } from "@course/lib";
import type { VaeLayers } from "@course/lib";

/**
 * The encoder, with the layers of a ConvVae (`model.layers`):
 *   h = relu(enc2(relu(enc1(x))))          [B, 7, 7, c2]
 *   s = stats(h flattened to [B, 7·7·c2])  [B, 2Z]
 *   mu = the first Z columns of s, logVar = the last Z.
 * x: [B, 28, 28, 1] in [0, 1] → { mu: [B, Z], logVar: [B, Z] }
 * Library twin: `encodeWith` from @course/lib computes the same (scripts/test/twins.test.ts checks it); calling it here earns no points.
 */
export function encode(layers: VaeLayers, x: tf.Tensor4D): { mu: tf.Tensor2D; logVar: tf.Tensor2D } {
  // TODO(06.encoder-decoder): write encode — notebooks/06-vae.ipynb, section "2. A convolutional encoder and decoder" explains it.
  throw new NotImplementedError("06.encoder-decoder", "exercises/06-vae.ts", "encode", "notebooks/06-vae.ipynb, section \"2. A convolutional encoder and decoder\"");
}

/**
 * The decoder, with the layers of a ConvVae:
 *   h = relu(dec0(z)) reshaped to [B, 7, 7, c2]  (c2 = dec0's width / 49)
 *   logits = dec2(relu(dec1(h)))
 * z: [B, Z] → logits [B, 28, 28, 1] (apply a sigmoid to see images)
 * Library twin: `decodeWith` from @course/lib computes the same (scripts/test/twins.test.ts checks it); calling it here earns no points.
 */
export function decode(layers: VaeLayers, z: tf.Tensor2D): tf.Tensor4D {
  // TODO(06.encoder-decoder): write decode — notebooks/06-vae.ipynb, section "2. A convolutional encoder and decoder" explains it.
  throw new NotImplementedError("06.encoder-decoder", "exercises/06-vae.ts", "decode", "notebooks/06-vae.ipynb, section \"2. A convolutional encoder and decoder\"");
}

/**
 * The reparameterisation trick: a draw from N(mu, σ²) written as a function of the given
 * standard-normal noise eps, so gradients reach mu and logVar:
 *   z = mu + exp(½ · logVar) · eps
 * mu, logVar, eps: [B, Z] → z: [B, Z]
 * Library twin: `reparameterise` from @course/lib is the same function (scripts/test/twins.test.ts checks it); calling it here earns no points.
 */
export function reparameterise(mu: tf.Tensor2D, logVar: tf.Tensor2D, eps: tf.Tensor2D): tf.Tensor2D {
  // TODO(06.reparameterise): write reparameterise — notebooks/06-vae.ipynb, section "4. The reparameterisation trick" explains it.
  throw new NotImplementedError("06.reparameterise", "exercises/06-vae.ts", "reparameterise", "notebooks/06-vae.ipynb, section \"4. The reparameterisation trick\"");
}

/**
 * KL(N(mu, σ²) ‖ N(0, 1)) of each image, summed over its Z latent dimensions:
 *   KL = −½ · Σ_j (1 + logVar_j − mu_j² − exp(logVar_j))
 * mu, logVar: [B, Z] → [B]
 * Library twin: `klDivergence` from @course/lib is the same function (scripts/test/twins.test.ts checks it); calling it here earns no points.
 */
export function klDivergence(mu: tf.Tensor2D, logVar: tf.Tensor2D): tf.Tensor1D {
  // TODO(06.kl-divergence): write klDivergence — notebooks/06-vae.ipynb, section "5. How far from the prior: the KL term" explains it.
  throw new NotImplementedError("06.kl-divergence", "exercises/06-vae.ts", "klDivergence", "notebooks/06-vae.ipynb, section \"5. How far from the prior: the KL term\"");
}

/**
 * The evidence lower bound, averaged over the batch (nats per image, a scalar):
 *   log p(x | z) = Σ_pixels x·ℓ − softplus(ℓ)   (Bernoulli pixels with logits ℓ; x in [0, 1])
 *   ELBO = mean over images of ( log p(x | z) − KL )     with your klDivergence
 * Write softplus(ℓ) = log(1 + exp(ℓ)) as relu(ℓ) + log1p(exp(−|ℓ|)) so large logits cannot overflow.
 * x, logits: [B, 28, 28, 1]; mu, logVar: [B, Z] → scalar
 * Library twin: `elbo` from @course/lib is the same function (scripts/test/twins.test.ts checks it); calling it here earns no points.
 */
export function elbo(x: tf.Tensor4D, logits: tf.Tensor4D, mu: tf.Tensor2D, logVar: tf.Tensor2D): tf.Scalar {
  // TODO(06.elbo): write elbo — notebooks/06-vae.ipynb, section "6. The ELBO" explains it.
  throw new NotImplementedError("06.elbo", "exercises/06-vae.ts", "elbo", "notebooks/06-vae.ipynb, section \"6. The ELBO\"");
}

/**
 * `steps` evenly spaced points on the straight line from z0 to z1 (both ends included):
 *   z_i = (1 − t_i)·z0 + t_i·z1,   t_i = i / (steps − 1)
 * z0, z1: [Z] → [steps, Z]
 */
export function interpolateLinear(z0: tf.Tensor1D, z1: tf.Tensor1D, steps: number): tf.Tensor2D {
  // TODO(06.interpolate): write interpolateLinear — notebooks/06-vae.ipynb, section "10. Walking through the latent space" explains it.
  throw new NotImplementedError("06.interpolate", "exercises/06-vae.ts", "interpolateLinear", "notebooks/06-vae.ipynb, section \"10. Walking through the latent space\"");
}

/**
 * `steps` points on the arc from z0 to z1 (spherical interpolation), both ends included: with
 * θ = arccos(z0·z1 / (|z0|·|z1|)),
 *   z_i = sin((1 − t_i)·θ)/sin θ · z0 + sin(t_i·θ)/sin θ · z1,   t_i = i / (steps − 1)
 * When sin θ < 1e-6 (z0 and z1 parallel) return the straight line instead.
 * z0, z1: [Z] → [steps, Z]
 */
export function interpolateSpherical(z0: tf.Tensor1D, z1: tf.Tensor1D, steps: number): tf.Tensor2D {
  // TODO(06.interpolate): write interpolateSpherical — notebooks/06-vae.ipynb, section "10. Walking through the latent space" explains it.
  throw new NotImplementedError("06.interpolate", "exercises/06-vae.ts", "interpolateSpherical", "notebooks/06-vae.ipynb, section \"10. Walking through the latent space\"");
}
