/**
 * Normalisation of image feature maps, written with plain TensorFlow.js ops: batch norm (Ioffe &
 * Szegedy, 2015; statistics over every axis but the channels) and group norm (Wu & He, 2018;
 * statistics per image and group of channels), and SiLU. The layers of layers.ts call them
 * through the course's seam (seam.ts), which may run a fused version of the same maths.
 */
import { CourseError, assertShape } from "../errors";
import { tf } from "../tf";

const EPSILON = 1e-5;

/** SiLU (swish): x·σ(x). */
export function silu<T extends tf.Tensor>(x: T): T {
  return tf.mul(x, tf.sigmoid(x));
}

function checkAffine(c: number, gamma: tf.Tensor1D, beta: tf.Tensor1D, what: string): void {
  assertShape(gamma.shape, [c], `${what} gain`);
  assertShape(beta.shape, [c], `${what} shift`);
}

/** Batch norm with batch statistics: (x − mean) / √(var + 1e-5) · γ + β per channel.  x: [..., C] → [..., C] */
export function normalizeBatch<T extends tf.Tensor>(x: T, gamma: tf.Tensor1D, beta: tf.Tensor1D): T {
  checkAffine(x.shape[x.rank - 1] as number, gamma, beta, "batch norm");
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, [...Array(x.rank - 1).keys()], true); // [1, …, 1, C]
    return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, EPSILON))), gamma), beta);
  });
}

/** Group norm: the same per image and group of C / G channels.  x: [N, H, W, C] → [N, H, W, C] */
export function normalizeGroups(x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D, groups: number): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  if (!Number.isInteger(groups) || groups < 1 || c % groups !== 0) {
    throw new CourseError(`group norm: ${c} channels do not split into ${groups} groups; use a group count that divides the channels`);
  }
  checkAffine(c, gamma, beta, "group norm");
  return tf.tidy(() => {
    const grouped = tf.reshape(x, [n, h, w, groups, c / groups]); //         [N, H, W, G, C/G]
    const { mean, variance } = tf.moments(grouped, [1, 2, 4], true); //      [N, 1, 1, G, 1]
    const normed = tf.mul(tf.sub(grouped, mean), tf.rsqrt(tf.add(variance, EPSILON)));
    return tf.add(tf.mul(tf.reshape(normed, [n, h, w, c]), gamma), beta); // [N, H, W, C]
  });
}

/** silu(normalizeGroups(x)).  x: [N, H, W, C] → [N, H, W, C] */
export function normalizeGroupsSilu(x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D, groups: number): tf.Tensor4D {
  return tf.tidy(() => silu(normalizeGroups(x, gamma, beta, groups)));
}
