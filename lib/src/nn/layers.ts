/**
 * Layers for image models, written with plain TensorFlow.js ops (NHWC). Each takes the parameter
 * store and a name, creates its weights (PyTorch's default init: U(±1/√fanIn)) and returns a
 * function. Call them inside `tf.tidy` or an optimiser's `minimize`.
 */
import { seam } from "../seam";
import { tf } from "../tf";
import { Adam } from "./adam";
import type { Params } from "./params";

export { silu } from "./norm";

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

/** A norm layer's learnt per-channel gain (starting at 1) and shift (starting at 0). */
function gainAndShift(p: Params, name: string, c: number): { gamma: tf.Variable<tf.Rank.R1>; beta: tf.Variable<tf.Rank.R1> } {
  const s = p.scope(name);
  return { gamma: s.fill("gamma", [c], 1) as tf.Variable<tf.Rank.R1>, beta: s.fill("beta", [c], 0) as tf.Variable<tf.Rank.R1> };
}

/** Batch normalisation with batch statistics (training mode) over every axis but the channels (norm.ts). */
export function batchNorm<T extends tf.Tensor>(p: Params, name: string, c: number): Layer<T> {
  const { gamma, beta } = gainAndShift(p, name, c);
  return (x) => seam.batchNorm(x, gamma, beta); // norm.ts's normalizeBatch, or a fused version (seam.ts)
}

/** Group normalisation of NHWC maps: statistics per image and group of channels (norm.ts). */
export function groupNorm(p: Params, name: string, groups: number, c: number): Layer<tf.Tensor4D> {
  const { gamma, beta } = gainAndShift(p, name, c);
  return (x) => seam.groupNorm(x, gamma, beta, groups);
}

/** silu(groupNorm(x)) with groupNorm's parameters (NHWC). */
export function groupNormSilu(p: Params, name: string, groups: number, c: number): Layer<tf.Tensor4D> {
  const { gamma, beta } = gainAndShift(p, name, c);
  return (x) => seam.groupNormSilu(x, gamma, beta, groups);
}

/** Leaky ReLU with slope 0.2 for x < 0 (the DCGAN discriminator's). */
export function leaky<T extends tf.Tensor>(x: T, slope = 0.2): T {
  return tf.leakyRelu(x, slope);
}

/** Adam with PyTorch's defaults (ε = 1e-8), a learning rate and β1 (0.5 for GANs): adam.ts's Adam. */
export function adam(learningRate: number, beta1 = 0.9): Adam {
  return new Adam(learningRate, beta1, 0.999, 1e-8);
}
