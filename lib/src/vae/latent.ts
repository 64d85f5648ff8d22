/**
 * Paths through the latent space, for interpolation strips: decode every point of a path from
 * one code to another and watch one digit turn into the other.
 */
import { CourseError, formatShape } from "../errors";
import { tf } from "../tf";

function checkEnds(z0: tf.Tensor1D, z1: tf.Tensor1D, steps: number, what: string): void {
  if (z0.rank !== 1 || z1.rank !== 1 || z0.shape[0] !== z1.shape[0]) {
    throw new CourseError(`${what}: z0 and z1 must be codes [Z] of the same size, got ${formatShape(z0.shape)} and ${formatShape(z1.shape)}.`);
  }
  if (!(Number.isInteger(steps) && steps >= 2)) throw new CourseError(`${what}: steps must be an integer ≥ 2, got ${steps}.`);
}

/** The fractions t_i = i / (steps − 1), i = 0 … steps − 1, as a column.  → [S, 1] */
function fractions(steps: number): tf.Tensor2D {
  return tf.tensor2d(Float32Array.from({ length: steps }, (_, i) => i / (steps - 1)), [steps, 1]);
}

/** Straight line: z(t) = (1 − t)·z0 + t·z1 at t = 0, 1/(S−1), …, 1.  z0, z1: [Z] → [S, Z] */
export function lerpLatents(z0: tf.Tensor1D, z1: tf.Tensor1D, steps: number): tf.Tensor2D {
  checkEnds(z0, z1, steps, "lerpLatents");
  return tf.tidy(() => {
    const t = fractions(steps); //                                            [S, 1]
    return tf.add(tf.mul(tf.sub(1, t), z0), tf.mul(t, z1)) as tf.Tensor2D; // [S, Z]
  });
}

/**
 * Spherical interpolation (Shoemake 1985; White 2016 for generative models): with θ the angle
 * between z0 and z1, z(t) = sin((1 − t)θ)/sin θ · z0 + sin(tθ)/sin θ · z1. Under a Gaussian prior
 * most mass sits near a sphere of radius √Z; the straight line cuts inside it, this arc does not
 * (when |z0| = |z1|). Falls back to the straight line when z0 and z1 are (anti)parallel.
 * z0, z1: [Z] → [S, Z]
 */
export function slerpLatents(z0: tf.Tensor1D, z1: tf.Tensor1D, steps: number): tf.Tensor2D {
  checkEnds(z0, z1, steps, "slerpLatents");
  const [dot, n0, n1] = tf.tidy(() => tf.stack([tf.sum(tf.mul(z0, z1)), tf.norm(z0), tf.norm(z1)]).dataSync());
  const cos = Math.min(1, Math.max(-1, dot! / (n0! * n1!)));
  const theta = Math.acos(cos), sin = Math.sin(theta);
  if (!(sin > 1e-6)) return lerpLatents(z0, z1, steps);
  return tf.tidy(() => {
    const t = fractions(steps); //                                            [S, 1]
    const w0 = tf.div(tf.sin(tf.mul(tf.sub(1, t), theta)), sin); //           [S, 1]
    const w1 = tf.div(tf.sin(tf.mul(t, theta)), sin); //                      [S, 1]
    return tf.add(tf.mul(w0, z0), tf.mul(w1, z1)) as tf.Tensor2D; //          [S, Z]
  });
}
