/**
 * Fast versions of a GPT's pieces for the wasm backend, through tf.customGrad: layer norm and
 * causal softmax (scale, mask and softmax in one), each one kernel forward and one backward
 * (backend/wasmGpt.ts); bias add (+ ReLU); and fastGptBlock built from them. They give the values and gradients of the plain
 * compositions in gpt-layers.ts (layerNorm, causalAttention, gptBlock), which stay the reference
 * the exercises are graded against; on any other backend, or with GENAI_WASM_SPEEDUPS=0 (or
 * GENAI_WASM_FUSED=0), every function here runs that composition.
 */
import { GPT_KERNELS } from "../backend/wasmGpt";
import { fusedWasmActive } from "../backend/wasmSpeedups";
import { assertShape } from "../errors";
import { type Save, customOp, runKernel } from "../nn/custom-op";
import { tf } from "../setup";
import { causalAttention, gptBlock, layerNorm, mergeHeads, splitHeads, type GptBlockParams } from "./gpt-layers";

/** Whether the fused kernels run now: the wasm backend with its speed work on (and GENAI_WASM_FUSED ≠ 0). */
export function fusedGptActive(): boolean {
  return fusedWasmActive();
}

const layerNormOp = customOp((x, g, b, save) => {
  const [y, mean, rstd] = runKernel(GPT_KERNELS.layerNorm, { x: x as tf.Tensor, g: g as tf.Tensor, b: b as tf.Tensor }, { epsilon: 1e-5 }) as tf.Tensor[];
  (save as Save)([x as tf.Tensor, g as tf.Tensor, mean!, rstd!]);
  return {
    value: y!,
    gradFunc: (dy, [xs, gs, m, r]) => runKernel(GPT_KERNELS.layerNormGrad, { dy, x: xs!, g: gs!, mean: m!, rstd: r! }) as tf.Tensor[],
  };
});

/** layerNorm (gpt-layers.ts) as one kernel each way.  x: [N, C] → [N, C] */
export function fusedLayerNorm(x: tf.Tensor2D, g: tf.Tensor1D, b: tf.Tensor1D): tf.Tensor2D {
  if (!fusedGptActive()) return layerNorm(x, g, b);
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

/** softmax(scale·scores + causalMask(T)) as one kernel each way.  scores: [B, H, T, T] → [B, H, T, T] */
export function fusedCausalSoftmax(scores: tf.Tensor4D, scale: number): tf.Tensor4D {
  const T = scores.shape[3];
  assertShape(scores.shape, [scores.shape[0], scores.shape[1], T, T], "attention scores");
  if (!fusedGptActive()) return tf.tidy(() => tf.softmax(scores.mul(scale).add(causalMaskOf(T))) as tf.Tensor4D);
  return causalSoftmaxOp(scale)(scores) as tf.Tensor4D;
}

/** The additive mask of gpt-layers.ts's causalMask: 0 on and below the diagonal, −1e9 above.  → [T, T] */
function causalMaskOf(T: number): tf.Tensor2D {
  return tf.tidy(() => tf.sub(1, tf.linalg.bandPart(tf.ones([T, T]), -1, 0)).mul(-1e9) as tf.Tensor2D);
}

/** causalAttention (gpt-layers.ts) with the fused softmax.  q, k, v: [B, H, T, D] → out [B, H, T, D], weights [B, H, T, T] */
export function fusedCausalAttention(q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D): { out: tf.Tensor4D; weights: tf.Tensor4D } {
  if (!fusedGptActive()) return causalAttention(q, k, v);
  assertShape(k.shape, q.shape, "k");
  const D = q.shape[3];
  return tf.tidy(() => {
    const weights = fusedCausalSoftmax(tf.matMul(q, k, false, true), 1 / Math.sqrt(D)); // [B, H, T, T]
    return { out: tf.matMul(weights, v) as tf.Tensor4D, weights }; // [B, H, T, D]
  });
}

/** relu(x + b) on tfjs's Add and Relu (fast SIMD kernels).  x: [N, F], b: [F] → [N, F] */
export function fusedBiasRelu(x: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
  return tf.tidy(() => tf.relu(fusedBiasAdd(x, b)));
}

/**
 * x + b. Its gradient for b is tfjs's Add gradient, a Sum of dy over the rows, which on wasm is
 * one SIMD pass (backend/wasmSum.ts): no kernel of its own is needed.  x: [N, F], b: [F] → [N, F]
 */
export function fusedBiasAdd(x: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
  if (fusedGptActive()) assertShape(b.shape, [x.shape[1]], "bias");
  return x.add(b);
}

const mm = (a: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor2D => tf.matMul(a, w); // [N, K]·[K, M] → [N, M]

/**
 * gptBlock (gpt-layers.ts) from the fused pieces: the same parameters, values and gradients.
 * x: [B, T, C] → x: [B, T, C], weights: [B, H, T, T]
 */
export function fastGptBlock(p: GptBlockParams, x: tf.Tensor3D, heads: number): { x: tf.Tensor3D; weights: tf.Tensor4D } {
  if (!fusedGptActive()) return gptBlock(p, x, heads);
  const [B, T, C] = x.shape;
  return tf.tidy(() => {
    const flat = x.reshape([B * T, C]) as tf.Tensor2D; // [B·T, C]
    const qkv = fusedBiasAdd(mm(fusedLayerNorm(flat, p.ln1g, p.ln1b), p.Wqkv), p.bqkv); // [B·T, 3C]
    // Columns [q | k | v] first, then heads: ~20 % less copying (with gradients) than splitting heads.
    const [q, k, v] = tf.split(qkv, 3, 1).map((m) => splitHeads(m.reshape([B, T, C]) as tf.Tensor3D, heads)); // 3 × [B, H, T, D]
    const att = fusedCausalAttention(q!, k!, v!);
    const merged = mergeHeads(att.out).reshape([B * T, C]) as tf.Tensor2D; // [B·T, C]
    const x1 = flat.add(fusedBiasAdd(mm(merged, p.Wo), p.bo)) as tf.Tensor2D; // [B·T, C]
    const hidden = fusedBiasRelu(mm(fusedLayerNorm(x1, p.ln2g, p.ln2b), p.W1), p.b1); // [B·T, 4C]
    const x2 = x1.add(fusedBiasAdd(mm(hidden, p.W2), p.b2)); // [B·T, C]
    return { x: x2.reshape([B, T, C]) as tf.Tensor3D, weights: att.weights }; // [B, T, C]
  });
}
