/**
 * Building blocks for the benchmark models: seeded parameters and layers written with plain
 * TensorFlow.js ops (no tfjs-layers, no fused ops), the way a notebook writes them. Images are
 * NHWC. Each layer is a function closing over its tf.Variables, which also go into `Params.vars`
 * for the optimiser.
 */
import { Rng, tf } from "@course/lib";

export type T = tf.Tensor;
export type T2 = tf.Tensor2D;
export type T4 = tf.Tensor4D;

/** Seeded parameter store. Weights and biases are U(−1/√fanIn, 1/√fanIn), PyTorch's default. */
export class Params {
  readonly vars: tf.Variable[] = [];
  constructor(private readonly rng: Rng) {}

  uniform(shape: number[], bound: number): tf.Variable {
    const size = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(size);
    for (let i = 0; i < size; i++) values[i] = (2 * this.rng.uniform() - 1) * bound;
    return this.add(tf.tensor(values, shape));
  }

  normal(shape: number[], std: number): tf.Variable {
    return this.add(randn(this.rng, shape, std));
  }

  fill(shape: number[], value: number): tf.Variable {
    return this.add(tf.fill(shape, value));
  }

  private add(init: T): tf.Variable {
    const v = tf.variable(init, true);
    init.dispose();
    this.vars.push(v);
    return v;
  }

  dispose(): void {
    for (const v of this.vars) v.dispose();
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
  const bound = 1 / Math.sqrt(fanIn);
  const w = p.uniform([fanIn, fanOut], bound);
  const b = bias ? p.uniform([fanOut], bound) : null;
  return (x) => {
    const y = tf.matMul(x as T2, w as T2) as T2;
    return b ? tf.add<T2>(y, b) : y;
  };
}

/** 2-D convolution, 'same' padding, NHWC; filter [k, k, in, out]. */
export function conv(
  p: Params, k: number, cin: number, cout: number, stride = 1, bias = true,
): (x: T) => T4 {
  const bound = 1 / Math.sqrt(cin * k * k);
  const w = p.uniform([k, k, cin, cout], bound);
  const b = bias ? p.uniform([cout], bound) : null;
  return (x) => {
    const y = tf.conv2d(x as T4, w as T4, stride, "same");
    return b ? tf.add<T4>(y, b) : y;
  };
}

/**
 * Transposed convolution that multiplies height and width by `stride` ('same' padding); filter
 * [k, k, out, in]. With k = 4, stride 2 it matches PyTorch's ConvTranspose2d(k=4, s=2, p=1).
 */
export function convTranspose(
  p: Params, k: number, cin: number, cout: number, stride = 2, bias = true,
): (x: T) => T4 {
  const bound = 1 / Math.sqrt(cout * k * k); // PyTorch's fan-in for ConvTranspose2d weights
  const w = p.uniform([k, k, cout, cin], bound);
  const b = bias ? p.uniform([cout], bound) : null;
  return (x) => {
    const [n, h, wd] = x.shape as [number, number, number, number];
    const shape: [number, number, number, number] = [n, h * stride, wd * stride, cout];
    const y = tf.conv2dTranspose(x as T4, w as T4, shape, stride, "same");
    return b ? tf.add<T4>(y, b) : y;
  };
}

/** Normalise over `axes` (keeping dims), then scale and shift by learnt vectors over channels. */
function normalise(x: T, axes: number[], gamma: T, beta: T, eps: number): T {
  const { mean, variance } = tf.moments(x, axes, true);
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps))), gamma), beta);
}

/** Layer normalisation over the last axis. */
export function layerNorm(p: Params, d: number): (x: T) => T {
  const gamma = p.fill([d], 1);
  const beta = p.fill([d], 0);
  return (x) => normalise(x, [x.rank - 1], gamma, beta, 1e-5);
}

/** Batch normalisation (training mode: batch statistics) over every axis but the channels. */
export function batchNorm(p: Params, c: number): (x: T) => T {
  const gamma = p.fill([c], 1);
  const beta = p.fill([c], 0);
  return (x) => normalise(x, [...Array(x.rank - 1).keys()], gamma, beta, 1e-5);
}

/** Group normalisation of NHWC maps: statistics per image and group of channels. */
export function groupNorm(p: Params, groups: number, c: number): (x: T) => T {
  const gamma = p.fill([c], 1);
  const beta = p.fill([c], 0);
  return (x) => {
    const [n, h, w] = x.shape as [number, number, number, number];
    const grouped = tf.reshape(x, [n, h, w, groups, c / groups]);
    const { mean, variance } = tf.moments(grouped, [1, 2, 4], true);
    const normed = tf.mul(tf.sub(grouped, mean), tf.rsqrt(tf.add(variance, 1e-5)));
    return tf.add(tf.mul(tf.reshape(normed, [n, h, w, c]), gamma), beta);
  };
}

/** SiLU (swish): x·σ(x). */
export function silu(x: T): T {
  return tf.mul(x, tf.sigmoid(x));
}

/** Adam as PyTorch's defaults have it (ε = 1e-8), with a given learning rate and β1. */
export function adam(learningRate: number, beta1 = 0.9): tf.AdamOptimizer {
  return tf.train.adam(learningRate, beta1, 0.999, 1e-8);
}
