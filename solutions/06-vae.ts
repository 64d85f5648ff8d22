/**
 * Lesson 06 — autoencoders and variational autoencoders on MNIST: the conv encoder and decoder,
 * the reparameterisation trick, the KL term, the ELBO, and paths through the latent space.
 */
import { tf } from "@course/lib";
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
  // BEGIN SOLUTION exercise=06.encoder-decoder section="2. A convolutional encoder and decoder"
  return tf.tidy(() => {
    const B = x.shape[0];
    const h = tf.relu(layers.enc2(tf.relu(layers.enc1(x)))); // [B, 7, 7, c2]
    const stats = layers.stats(tf.reshape(h, [B, -1])); // [B, 2Z]
    const [mu, logVar] = tf.split(stats, 2, 1) as [tf.Tensor2D, tf.Tensor2D]; // [B, Z] each
    return { mu, logVar };
  });
  // END SOLUTION
}

/**
 * The decoder, with the layers of a ConvVae:
 *   h = relu(dec0(z)) reshaped to [B, 7, 7, c2]  (c2 = dec0's width / 49)
 *   logits = dec2(relu(dec1(h)))
 * z: [B, Z] → logits [B, 28, 28, 1] (apply a sigmoid to see images)
 * Library twin: `decodeWith` from @course/lib computes the same (scripts/test/twins.test.ts checks it); calling it here earns no points.
 */
export function decode(layers: VaeLayers, z: tf.Tensor2D): tf.Tensor4D {
  // BEGIN SOLUTION exercise=06.encoder-decoder section="2. A convolutional encoder and decoder"
  return tf.tidy(() => {
    const B = z.shape[0];
    const h = tf.reshape(tf.relu(layers.dec0(z)), [B, 7, 7, -1]) as tf.Tensor4D; // [B, 7, 7, c2]
    return layers.dec2(tf.relu(layers.dec1(h))); // [B, 28, 28, 1]
  });
  // END SOLUTION
}

/**
 * The reparameterisation trick: a draw from N(mu, σ²) written as a function of the given
 * standard-normal noise eps, so gradients reach mu and logVar:
 *   z = mu + exp(½ · logVar) · eps
 * mu, logVar, eps: [B, Z] → z: [B, Z]
 * Library twin: `reparameterise` from @course/lib is the same function (scripts/test/twins.test.ts checks it); calling it here earns no points.
 */
export function reparameterise(mu: tf.Tensor2D, logVar: tf.Tensor2D, eps: tf.Tensor2D): tf.Tensor2D {
  // BEGIN SOLUTION exercise=06.reparameterise section="4. The reparameterisation trick"
  return tf.tidy(() => tf.add(mu, tf.mul(tf.exp(tf.mul(logVar, 0.5)), eps)));
  // END SOLUTION
}

/**
 * KL(N(mu, σ²) ‖ N(0, 1)) of each image, summed over its Z latent dimensions:
 *   KL = −½ · Σ_j (1 + logVar_j − mu_j² − exp(logVar_j))
 * mu, logVar: [B, Z] → [B]
 * Library twin: `klDivergence` from @course/lib is the same function (scripts/test/twins.test.ts checks it); calling it here earns no points.
 */
export function klDivergence(mu: tf.Tensor2D, logVar: tf.Tensor2D): tf.Tensor1D {
  // BEGIN SOLUTION exercise=06.kl-divergence section="5. How far from the prior: the KL term"
  return tf.tidy(() => {
    const terms = tf.sub(tf.add(1, logVar), tf.add(tf.square(mu), tf.exp(logVar))); // [B, Z]
    return tf.mul(tf.sum(terms, 1), -0.5) as tf.Tensor1D; // [B]
  });
  // END SOLUTION
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
  // BEGIN SOLUTION exercise=06.elbo section="6. The ELBO"
  return tf.tidy(() => {
    const softplus = tf.add(tf.relu(logits), tf.log1p(tf.exp(tf.neg(tf.abs(logits))))); // [B, 28, 28, 1]
    const logLikelihood = tf.sum(tf.sub(tf.mul(x, logits), softplus), [1, 2, 3]); // [B]
    return tf.mean(tf.sub(logLikelihood, klDivergence(mu, logVar))) as tf.Scalar;
  });
  // END SOLUTION
}

/**
 * `steps` evenly spaced points on the straight line from z0 to z1 (both ends included):
 *   z_i = (1 − t_i)·z0 + t_i·z1,   t_i = i / (steps − 1)
 * z0, z1: [Z] → [steps, Z]
 */
export function interpolateLinear(z0: tf.Tensor1D, z1: tf.Tensor1D, steps: number): tf.Tensor2D {
  // BEGIN SOLUTION exercise=06.interpolate section="10. Walking through the latent space"
  return tf.tidy(() => {
    const t = tf.linspace(0, 1, steps).reshape([steps, 1]); // [S, 1]
    return tf.add(tf.mul(tf.sub(1, t), z0), tf.mul(t, z1)) as tf.Tensor2D; // [S, Z]
  });
  // END SOLUTION
}

/**
 * `steps` points on the arc from z0 to z1 (spherical interpolation), both ends included: with
 * θ = arccos(z0·z1 / (|z0|·|z1|)),
 *   z_i = sin((1 − t_i)·θ)/sin θ · z0 + sin(t_i·θ)/sin θ · z1,   t_i = i / (steps − 1)
 * When sin θ < 1e-6 (z0 and z1 parallel) return the straight line instead.
 * z0, z1: [Z] → [steps, Z]
 */
export function interpolateSpherical(z0: tf.Tensor1D, z1: tf.Tensor1D, steps: number): tf.Tensor2D {
  // BEGIN SOLUTION exercise=06.interpolate section="10. Walking through the latent space"
  const [dot, n0, n1] = tf.tidy(() => tf.stack([tf.sum(tf.mul(z0, z1)), tf.norm(z0), tf.norm(z1)]).dataSync()); // z0·z1, |z0|, |z1|
  const theta = Math.acos(Math.min(1, Math.max(-1, dot! / (n0! * n1!))));
  if (!(Math.sin(theta) >= 1e-6)) return interpolateLinear(z0, z1, steps);
  return tf.tidy(() => {
    const t = tf.linspace(0, 1, steps).reshape([steps, 1]); // [S, 1]
    const w0 = tf.sin(tf.mul(tf.sub(1, t), theta)).div(Math.sin(theta)); // [S, 1]
    const w1 = tf.sin(tf.mul(t, theta)).div(Math.sin(theta)); // [S, 1]
    return tf.add(tf.mul(w0, z0), tf.mul(w1, z1)) as tf.Tensor2D; // [S, Z]
  });
  // END SOLUTION
}
