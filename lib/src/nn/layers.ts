/**
 * Layers for image models, written with plain TensorFlow.js ops (NHWC). Each takes the parameter
 * store and a name, creates its weights (PyTorch's default init: U(±1/√fanIn)) and returns a
 * function. Call them inside `tf.tidy` or an optimiser's `minimize`.
 */
import { tf } from "../setup";
import { FusedAdam } from "./adam";
import type { Params } from "./params";

export type Layer<In extends tf.Tensor, Out extends tf.Tensor = In> = (x: In) => Out;

/** x [N, in] → [N, out]. */
export function dense(p: Params, name: string, fanIn: number, fanOut: number, bias = true): Layer<tf.Tensor2D> {
  const s = p.scope(name);
  const bound = 1 / Math.sqrt(fanIn);
  const w = s.uniform("w", [fanIn, fanOut], bound) as tf.Variable<tf.Rank.R2>;
  const b = bias ? s.uniform("b", [fanOut], bound) : null;
  return (x) => {
    const y: tf.Tensor2D = tf.matMul(x, w); //                                 [N, out]
    return b ? tf.add<tf.Tensor2D>(y, b) : y;
  };
}

/** 2-D convolution with 'same' padding: [N, H, W, in] → [N, H/stride, W/stride, out]. */
export function conv(
  p: Params, name: string, k: number, cin: number, cout: number, stride = 1, bias = true,
): Layer<tf.Tensor4D> {
  const s = p.scope(name);
  const bound = 1 / Math.sqrt(cin * k * k);
  const w = s.uniform("w", [k, k, cin, cout], bound) as tf.Variable<tf.Rank.R4>;
  const b = bias ? s.uniform("b", [cout], bound) : null;
  return (x) => {
    const y = tf.conv2d(x, w, stride, "same"); //                             [N, H', W', out]
    return b ? tf.add<tf.Tensor4D>(y, b) : y;
  };
}

/**
 * Transposed convolution: [N, H, W, in] → [N, H·stride, W·stride, out] ('same' padding; with
 * k = 4, stride 2 it matches PyTorch's ConvTranspose2d(k=4, s=2, p=1)).
 */
export function convTranspose(
  p: Params, name: string, k: number, cin: number, cout: number, stride = 2, bias = true,
): Layer<tf.Tensor4D> {
  const s = p.scope(name);
  const bound = 1 / Math.sqrt(cout * k * k); // PyTorch's fan-in for ConvTranspose2d weights
  const w = s.uniform("w", [k, k, cout, cin], bound) as tf.Variable<tf.Rank.R4>;
  const b = bias ? s.uniform("b", [cout], bound) : null;
  return (x) => {
    const [n, h, wd] = x.shape;
    const y = tf.conv2dTranspose(x, w, [n, h * stride, wd * stride, cout], stride, "same");
    return b ? tf.add<tf.Tensor4D>(y, b) : y;
  };
}

/** Normalise over `axes` (keeping dims), then scale and shift by learnt per-channel vectors. */
function normalise<T extends tf.Tensor>(x: T, axes: number[], gamma: tf.Tensor, beta: tf.Tensor, eps: number): T {
  const { mean, variance } = tf.moments(x, axes, true);
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps))), gamma), beta);
}

/** Batch normalisation with batch statistics (training mode) over every axis but the channels. */
export function batchNorm<T extends tf.Tensor>(p: Params, name: string, c: number): Layer<T> {
  const s = p.scope(name);
  const gamma = s.fill("gamma", [c], 1);
  const beta = s.fill("beta", [c], 0);
  return (x) => normalise(x, [...Array(x.rank - 1).keys()], gamma, beta, 1e-5);
}

/** Group normalisation of NHWC maps: statistics per image and group of channels. */
export function groupNorm(p: Params, name: string, groups: number, c: number): Layer<tf.Tensor4D> {
  const s = p.scope(name);
  const gamma = s.fill("gamma", [c], 1);
  const beta = s.fill("beta", [c], 0);
  return (x) => {
    const [n, h, w] = x.shape;
    const grouped = tf.reshape(x, [n, h, w, groups, c / groups]); //         [N, H, W, G, C/G]
    const { mean, variance } = tf.moments(grouped, [1, 2, 4], true);
    const normed = tf.mul(tf.sub(grouped, mean), tf.rsqrt(tf.add(variance, 1e-5)));
    return tf.add(tf.mul(tf.reshape(normed, [n, h, w, c]), gamma), beta);
  };
}

/** SiLU (swish): x·σ(x). */
export function silu<T extends tf.Tensor>(x: T): T {
  return tf.mul(x, tf.sigmoid(x));
}

/** Leaky ReLU with slope 0.2 for x < 0 (the DCGAN discriminator's). */
export function leaky<T extends tf.Tensor>(x: T, slope = 0.2): T {
  return tf.leakyRelu(x, slope);
}

/**
 * Adam with PyTorch's defaults (ε = 1e-8), a learning rate and β1 (0.5 for GANs): a
 * tf.AdamOptimizer whose update is one kernel per variable on wasm (FusedAdam, adam.ts).
 */
export function adam(learningRate: number, beta1 = 0.9): FusedAdam {
  return new FusedAdam(learningRate, beta1, 0.999, 1e-8);
}
