/** Helpers shared by the models' initialisers: seeded normals, config checks, the parameter store. */
import { CourseError } from "../errors";
import { Params } from "../nn/params";
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
 * Where an initialiser creates its variables: `from` itself when it is a `Params` store (a model's,
 * or a scope of it such as "blocks.0"), else a new store drawing from the generator `from`.
 */
export function paramsFrom(from: Rng | Params): Params {
  return from instanceof Params ? from : new Params(from);
}
