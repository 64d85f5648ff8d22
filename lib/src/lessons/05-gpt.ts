// Generated from solutions/05-gpt.ts by `npm run exercises`: the types `lesson("05")` returns. Do not edit.
/**
 * Lesson 05 — attention and a mini-GPT on Moby Dick: causal scaled dot-product attention, the
 * split into heads and their merge, and one pre-norm transformer block.
 */
import type { tf } from "../index";
import type { GptBlockParams } from "../index";
/**
 * Causal scaled dot-product attention of every head: scores = q·kᵀ/√D, plus a mask that is 0 on
 * and below the diagonal and −1e9 above it (position t must not read positions after t);
 * weights = softmax(scores) over the last axis; out = weights·v.
 * q, k, v: [B, H, T, D] → out: [B, H, T, D], weights: [B, H, T, T]
 * Library twin: `causalAttention` from @course/lib is the same function (scripts/test/twins.test.ts checks it); calling it here earns no points.
 */
export declare function causalAttention(q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D): {
    out: tf.Tensor4D;
    weights: tf.Tensor4D;
};
/** Cut the C channels of every position into `heads` heads of D = C / heads.  [B, T, C] → [B, H, T, D] * Library twin: `splitHeads` from @course/lib is the same function (scripts/test/twins.test.ts checks it); calling it here earns no points.
 */
export declare function splitHeads(x: tf.Tensor3D, heads: number): tf.Tensor4D;
/** The inverse of splitHeads: the heads side by side again.  [B, H, T, D] → [B, T, C] * Library twin: `mergeHeads` from @course/lib is the same function (scripts/test/twins.test.ts checks it); calling it here earns no points.
 */
export declare function mergeHeads(x: tf.Tensor4D): tf.Tensor3D;
/**
 * One pre-norm transformer block with your causalAttention, splitHeads and mergeHeads:
 *   h = layerNorm(x; ln1g, ln1b);  [q | k | v] = h·Wqkv + bqkv  (columns C each)
 *   x = x + mergeHeads(attention(split q, k, v))·Wo + bo
 *   x = x + relu(layerNorm(x; ln2g, ln2b)·W1 + b1)·W2 + b2
 * The library's layerNorm takes 2-D [N, C] input.  x: [B, T, C] → [B, T, C]
 * Library twin: `gptBlock` from @course/lib computes the same x (scripts/test/twins.test.ts checks it); calling it here earns no points.
 */
export declare function blockForward(p: GptBlockParams, x: tf.Tensor3D, heads: number): tf.Tensor3D;
