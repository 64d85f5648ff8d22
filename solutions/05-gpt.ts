/**
 * Lesson 05 — attention and a mini-GPT on Moby Dick: causal scaled dot-product attention, the
 * split into heads and their merge, and one pre-norm transformer block.
 */
import { tf, layerNorm } from "@course/lib";
import type { GptBlockParams } from "@course/lib";

/**
 * Causal scaled dot-product attention of every head: scores = q·kᵀ/√D, plus a mask that is 0 on
 * and below the diagonal and −1e9 above it (position t must not read positions after t);
 * weights = softmax(scores) over the last axis; out = weights·v.
 * q, k, v: [B, H, T, D] → out: [B, H, T, D], weights: [B, H, T, T]
 * Library twin: `causalAttention` from @course/lib is the same function (scripts/test/twins.test.ts checks it); calling it here earns no points.
 */
export function causalAttention(q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D): { out: tf.Tensor4D; weights: tf.Tensor4D } {
  // BEGIN SOLUTION exercise=05.attention section="3. Scaled dot-product attention"
  const [, , T, D] = q.shape;
  return tf.tidy(() => {
    const scores = tf.matMul(q, k, false, true).div(Math.sqrt(D)); // [B, H, T, T]
    const allowed = tf.linalg.bandPart(tf.ones([T, T]), -1, 0); // [T, T], 1 on and below the diagonal
    const mask = tf.sub(1, allowed).mul(-1e9); // [T, T]
    const weights = tf.softmax(scores.add(mask)) as tf.Tensor4D; // [B, H, T, T]
    return { out: tf.matMul(weights, v) as tf.Tensor4D, weights }; // [B, H, T, D]
  });
  // END SOLUTION
}

/** Cut the C channels of every position into `heads` heads of D = C / heads.  [B, T, C] → [B, H, T, D] * Library twin: `splitHeads` from @course/lib is the same function (scripts/test/twins.test.ts checks it); calling it here earns no points.
 */
export function splitHeads(x: tf.Tensor3D, heads: number): tf.Tensor4D {
  // BEGIN SOLUTION exercise=05.heads section="4. Many heads"
  const [B, T, C] = x.shape;
  return tf.tidy(() => x.reshape([B, T, heads, C / heads]).transpose([0, 2, 1, 3]) as tf.Tensor4D); // [B, T, H, D] → [B, H, T, D]
  // END SOLUTION
}

/** The inverse of splitHeads: the heads side by side again.  [B, H, T, D] → [B, T, C] * Library twin: `mergeHeads` from @course/lib is the same function (scripts/test/twins.test.ts checks it); calling it here earns no points.
 */
export function mergeHeads(x: tf.Tensor4D): tf.Tensor3D {
  // BEGIN SOLUTION exercise=05.heads section="4. Many heads"
  const [B, H, T, D] = x.shape;
  return tf.tidy(() => x.transpose([0, 2, 1, 3]).reshape([B, T, H * D]) as tf.Tensor3D); // [B, T, H, D] → [B, T, C]
  // END SOLUTION
}

/**
 * One pre-norm transformer block with your causalAttention, splitHeads and mergeHeads:
 *   h = layerNorm(x; ln1g, ln1b);  [q | k | v] = h·Wqkv + bqkv  (columns C each)
 *   x = x + mergeHeads(attention(split q, k, v))·Wo + bo
 *   x = x + relu(layerNorm(x; ln2g, ln2b)·W1 + b1)·W2 + b2
 * The library's layerNorm takes 2-D [N, C] input.  x: [B, T, C] → [B, T, C]
 * Library twin: `gptBlock` from @course/lib computes the same x (scripts/test/twins.test.ts checks it); calling it here earns no points.
 */
export function blockForward(p: GptBlockParams, x: tf.Tensor3D, heads: number): tf.Tensor3D {
  // BEGIN SOLUTION exercise=05.block section="5. The transformer block"
  const [B, T, C] = x.shape;
  return tf.tidy(() => {
    const flat = x.reshape([B * T, C]) as tf.Tensor2D; // [B·T, C]
    const qkv = layerNorm(flat, p.ln1g, p.ln1b).matMul(p.Wqkv).add(p.bqkv); // [B·T, 3C]
    const [q, k, v] = tf.split(qkv, 3, 1).map((t) => splitHeads(t.reshape([B, T, C]), heads)); // 3 × [B, H, T, D]
    const att = causalAttention(q!, k!, v!).out; // [B, H, T, D]
    const merged = mergeHeads(att).reshape([B * T, C]); // [B·T, C]
    const x1 = flat.add(merged.matMul(p.Wo).add(p.bo)) as tf.Tensor2D; // [B·T, C]
    const hidden = tf.relu(layerNorm(x1, p.ln2g, p.ln2b).matMul(p.W1).add(p.b1)); // [B·T, 4C]
    return x1.add(hidden.matMul(p.W2).add(p.b2)).reshape([B, T, C]) as tf.Tensor3D; // [B, T, C]
  });
  // END SOLUTION
}
