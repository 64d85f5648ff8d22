/**
 * Building blocks for the benchmark models: seeded parameters and layers written with plain
 * TensorFlow.js ops (no tfjs-layers, no fused ops), the way a notebook writes them. Images are
 * NHWC. Each layer is a function closing over its tf.Variables, which also go into `Params.vars`
 * for the optimiser.
 */
import {
  Params as LibParams, type Rng, adam as libAdam, batchNorm as libBatchNorm, conv as libConv,
  convTranspose as libConvTranspose, dense as libDense, groupNorm as libGroupNorm, silu as libSilu, tf,
} from "@course/lib";

export type T = tf.Tensor;
export type T2 = tf.Tensor2D;
export type T4 = tf.Tensor4D;

/**
 * Seeded parameter store: the library's `Params`, with names made up as layers are added (the
 * benchmarks never save a checkpoint). Weights and biases are U(−1/√fanIn, 1/√fanIn).
 */
export class Params {
  readonly lib: LibParams;
  private count = 0;
  constructor(rng: Rng) {
    this.lib = new LibParams(rng);
  }

  /** A fresh name for the next layer or tensor. */
  next(kind: string): string {
    return `${kind}${this.count++}`;
  }

  uniform(shape: number[], bound: number): tf.Variable {
    return this.lib.uniform(this.next("u"), shape, bound);
  }

  normal(shape: number[], std: number): tf.Variable {
    return this.lib.normal(this.next("n"), shape, std);
  }

  get vars(): tf.Variable[] {
    return this.lib.vars;
  }

  dispose(): void {
    this.lib.dispose();
  }
}

/** A standard-normal tensor (times `std`) from the seeded generator. */
export function randn(rng: Rng, shape: number[], std = 1): T {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = rng.normal() * std;
  return tf.tensor(values, shape);
}

/** A uniform [lo, hi) tensor from the seeded generator. */
export function rand(rng: Rng, shape: number[], lo = 0, hi = 1): T {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = lo + (hi - lo) * rng.uniform();
  return tf.tensor(values, shape);
}

/** Integers in [0, n) as an int32 tensor. */
export function randint(rng: Rng, shape: number[], n: number): T {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Int32Array(size);
  for (let i = 0; i < size; i++) values[i] = rng.int(n);
  return tf.tensor(values, shape, "int32");
}

/** x [N, in] → [N, out]: matMul + bias. */
export function dense(p: Params, fanIn: number, fanOut: number, bias = true): (x: T) => T2 {
  const f = libDense(p.lib, p.next("dense"), fanIn, fanOut, bias);
  return (x) => f(x as T2);
}

/** 2-D convolution, 'same' padding, NHWC; filter [k, k, in, out]. */
export function conv(p: Params, k: number, cin: number, cout: number, stride = 1, bias = true): (x: T) => T4 {
  const f = libConv(p.lib, p.next("conv"), k, cin, cout, stride, bias);
  return (x) => f(x as T4);
}

/** Transposed convolution that multiplies height and width by `stride` ('same' padding). */
export function convTranspose(p: Params, k: number, cin: number, cout: number, stride = 2, bias = true): (x: T) => T4 {
  const f = libConvTranspose(p.lib, p.next("convT"), k, cin, cout, stride, bias);
  return (x) => f(x as T4);
}

/** Layer normalisation over the last axis. */
export function layerNorm(p: Params, d: number): (x: T) => T {
  const gamma = p.lib.fill(p.next("lng"), [d], 1);
  const beta = p.lib.fill(p.next("lnb"), [d], 0);
  return (x) => {
    const { mean, variance } = tf.moments(x, [x.rank - 1], true);
    return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-5))), gamma), beta);
  };
}

/** Batch normalisation (training mode: batch statistics) over every axis but the channels. */
export function batchNorm(p: Params, c: number): (x: T) => T {
  return libBatchNorm(p.lib, p.next("bn"), c);
}

/** Group normalisation of NHWC maps: statistics per image and group of channels. */
export function groupNorm(p: Params, groups: number, c: number): (x: T) => T {
  const f = libGroupNorm(p.lib, p.next("gn"), groups, c);
  return (x) => f(x as T4);
}

export const silu = libSilu;
export const adam = libAdam;
