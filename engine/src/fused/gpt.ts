/**
 * Fast versions of a GPT's pieces for the wasm backend, through tf.customGrad: layer norm and
 * causal softmax (scale, mask and softmax in one), each one kernel forward and one backward
 * (wasmGpt.ts); and fastGptBlock built from them. They give the values and gradients of the plain
 * functions the course teaches (the library's gpt-layers.ts: layerNorm, causalAttention,
 * gptBlock), which stay the reference the fused-vs-plain tests compare against. They run only on
 * the wasm backend with the fused kernels registered: the course's seam (lib/src/seam.ts) calls
 * them while `fusedWasmActive()` and the plain functions otherwise.
 */
import * as tf from "@tensorflow/tfjs-core";
import { GPT_KERNELS } from "../wasmGpt";
import { assertShape } from "../errors";
import { type Save, customOp, runKernel } from "./custom-op";

/** One transformer block's parameters, as the library's GptBlockParams (columns [q | k | v] in Wqkv). */
export interface BlockParams {
  ln1g: tf.Tensor1D; ln1b: tf.Tensor1D;
  Wqkv: tf.Tensor2D; bqkv: tf.Tensor1D;
  Wo: tf.Tensor2D; bo: tf.Tensor1D;
  ln2g: tf.Tensor1D; ln2b: tf.Tensor1D;
  W1: tf.Tensor2D; b1: tf.Tensor1D;
  W2: tf.Tensor2D; b2: tf.Tensor1D;
}

const layerNormOp = customOp((x, g, b, save) => {
  const [y, mean, rstd] = runKernel(GPT_KERNELS.layerNorm, { x: x as tf.Tensor, g: g as tf.Tensor, b: b as tf.Tensor }, { epsilon: 1e-5 }) as tf.Tensor[];
  (save as Save)([x as tf.Tensor, g as tf.Tensor, mean!, rstd!]);
  return {
    value: y!,
    gradFunc: (dy, [xs, gs, m, r]) => runKernel(GPT_KERNELS.layerNormGrad, { dy, x: xs!, g: gs!, mean: m!, rstd: r! }) as tf.Tensor[],
  };
});

/** layerNorm as one kernel each way.  x: [N, C] → [N, C] */
export function fusedLayerNorm(x: tf.Tensor2D, g: tf.Tensor1D, b: tf.Tensor1D): tf.Tensor2D {
  assertShape(g.shape, [x.shape[1]], "layer norm gain");
  assertShape(b.shape, [x.shape[1]], "layer norm shift");
  return layerNormOp(x, g, b) as tf.Tensor2D;
}

const softmaxOps = new Map<number, (s: tf.Tensor) => tf.Tensor>();
function causalSoftmaxOp(scale: number): (s: tf.Tensor) => tf.Tensor {
  let op = softmaxOps.get(scale);
  if (!op) {
    op = customOp((s, save) => {
      const y = runKernel(GPT_KERNELS.causalSoftmax, { x: s as tf.Tensor }, { scale }) as tf.Tensor;
      (save as Save)([y]);
      return { value: y, gradFunc: (dy, [ys]) => [runKernel(GPT_KERNELS.causalSoftmaxGrad, { dy, y: ys! }, { scale }) as tf.Tensor] };
    });
    softmaxOps.set(scale, op);
  }
  return op;
}

/** softmax(scale·scores + causal mask) as one kernel each way.  scores: [B, H, T, T] → [B, H, T, T] */
export function fusedCausalSoftmax(scores: tf.Tensor4D, scale: number): tf.Tensor4D {
  const T = scores.shape[3];
  assertShape(scores.shape, [scores.shape[0], scores.shape[1], T, T], "attention scores");
  return causalSoftmaxOp(scale)(scores) as tf.Tensor4D;
}

/** causalAttention with the fused softmax.  q, k, v: [B, H, T, D] → out [B, H, T, D], weights [B, H, T, T] */
export function fusedCausalAttention(q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D): { out: tf.Tensor4D; weights: tf.Tensor4D } {
  assertShape(k.shape, q.shape, "k");
  const D = q.shape[3];
  return tf.tidy(() => {
    const weights = fusedCausalSoftmax(tf.matMul(q, k, false, true), 1 / Math.sqrt(D)); // [B, H, T, T]
    return { out: tf.matMul(weights, v) as tf.Tensor4D, weights }; // [B, H, T, D]
  });
}

/** x + b with its shape checked (the gradient for b, a Sum over rows, is one SIMD pass: wasmSum.ts).  x: [N, F], b: [F] → [N, F] */
export function fusedBiasAdd(x: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
  assertShape(b.shape, [x.shape[1]], "bias");
  return tf.add(x, b);
}

/** relu(x + b) on tfjs's Add and Relu (fast SIMD kernels).  x: [N, F], b: [F] → [N, F] */
export function fusedBiasRelu(x: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
  return tf.tidy(() => tf.relu(fusedBiasAdd(x, b)));
}

const mm = (a: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor2D => tf.matMul(a, w); // [N, K]·[K, M] → [N, M]

/** [B, T, C] → [B, H, T, D] (the engine's copy of the library's splitHeads, a reshape and a transpose). */
function heads(x: tf.Tensor2D, B: number, T: number, H: number): tf.Tensor4D {
  const C = x.shape[1];
  return tf.transpose(tf.reshape(x, [B, T, H, C / H]), [0, 2, 1, 3]); // [B, H, T, D]
}

/**
 * gptBlock from the fused pieces: the same parameters, values and gradients.
 * x: [B, T, C] → x: [B, T, C], weights: [B, H, T, T]
 */
export function fastGptBlock(p: BlockParams, x: tf.Tensor3D, H: number): { x: tf.Tensor3D; weights: tf.Tensor4D } {
  const [B, T, C] = x.shape;
  return tf.tidy(() => {
    const flat = tf.reshape(x, [B * T, C]) as tf.Tensor2D; // [B·T, C]
    const qkv = fusedBiasAdd(mm(fusedLayerNorm(flat, p.ln1g, p.ln1b), p.Wqkv), p.bqkv); // [B·T, 3C]
    // Columns [q | k | v] first, then heads: ~20 % less copying (with gradients) than splitting heads.
    const [q, k, v] = tf.split(qkv, 3, 1).map((m) => heads(m as tf.Tensor2D, B, T, H)); // 3 × [B, H, T, D]
    const att = fusedCausalAttention(q!, k!, v!);
    const merged = tf.reshape(tf.transpose(att.out, [0, 2, 1, 3]), [B * T, C]) as tf.Tensor2D; // [B·T, C]
    const x1 = tf.add(flat, fusedBiasAdd(mm(merged, p.Wo), p.bo)) as tf.Tensor2D; // [B·T, C]
    const hidden = fusedBiasRelu(mm(fusedLayerNorm(x1, p.ln2g, p.ln2b), p.W1), p.b1); // [B·T, 4C]
    const x2 = tf.add(x1, fusedBiasAdd(mm(hidden, p.W2), p.b2)); // [B·T, C]
    return { x: tf.reshape(x2, [B, T, C]) as tf.Tensor3D, weights: att.weights }; // [B, T, C]
  });
}
