/** Helpers shared by the models' initialisers: seeded normals, config checks, variables. */
import { CourseError } from "../errors";
import type { Rng } from "../random";
import { tf } from "../tf";

/** n draws of N(0, scale²) from `rng`. */
export function normals(rng: Rng, n: number, scale: number): Float32Array {
  return Float32Array.from({ length: n }, () => scale * rng.normal());
}

/** A float32 tensor of N(0, scale²) draws from `rng` (the same draws as `normals`). */
export function normalTensor<R extends tf.Rank>(shape: number[], scale: number, rng: Rng): tf.Tensor<R> {
  const t: tf.Tensor = tf.tensor(normals(rng, shape.reduce((a, b) => a * b, 1), scale), shape);
  return t as tf.Tensor<R>;
}

/** Throw a readable error unless every named field of a config is an integer ≥ 1. */
export function checkPositiveInts<C extends object>(config: C, keys: readonly (keyof C & string)[], what: string): void {
  for (const key of keys) {
    const value = config[key] as unknown;
    if (!(typeof value === "number" && Number.isInteger(value) && value >= 1)) {
      throw new CourseError(`${what}.${key} must be an integer ≥ 1, got ${String(value)}.`);
    }
  }
}

/**
 * A trainable variable that takes over `t`'s data (then `t` is disposed, so nothing leaks).
 * No variable names: the engine refuses a name twice, and a notebook may build many models.
 */
export function trainable<R extends tf.Rank>(t: tf.Tensor<R>): tf.Variable<R> {
  const variable = tf.variable(t, true) as tf.Variable<R>;
  t.dispose();
  return variable;
}
