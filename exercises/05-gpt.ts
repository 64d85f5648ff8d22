// Exercise file generated from solutions/05-gpt.ts by `npm run exercises`.
// Replace each TODO + throw with your code; `npm run grade` checks it. The generator never
// overwrites this file once you have changed it.
/**
 * Lesson 05 — attention and a mini-GPT on Moby Dick: causal scaled dot-product attention, the
 * split into heads and their merge, and one pre-norm transformer block.
 */
import { NotImplementedError, tf, layerNorm } from "@course/lib";
import type { GptBlockParams } from "@course/lib";

/**
 * Causal scaled dot-product attention of every head: scores = q·kᵀ/√D, plus a mask that is 0 on
 * and below the diagonal and −1e9 above it (position t must not read positions after t);
 * weights = softmax(scores) over the last axis; out = weights·v.
 * q, k, v: [B, H, T, D] → out: [B, H, T, D], weights: [B, H, T, T]
 * Library twin: `causalAttention` from @course/lib is the same function (scripts/test/twins.test.ts checks it); calling it here earns no points.
 */
export function causalAttention(q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D): { out: tf.Tensor4D; weights: tf.Tensor4D } {
  // TODO(05.attention): write causalAttention — notebooks/05-gpt.ipynb, section "3. Scaled dot-product attention" explains it.
  throw new NotImplementedError("05.attention", "exercises/05-gpt.ts", "causalAttention", "notebooks/05-gpt.ipynb, section \"3. Scaled dot-product attention\"");
}

/** Cut the C channels of every position into `heads` heads of D = C / heads.  [B, T, C] → [B, H, T, D] * Library twin: `splitHeads` from @course/lib is the same function (scripts/test/twins.test.ts checks it); calling it here earns no points.
 */
export function splitHeads(x: tf.Tensor3D, heads: number): tf.Tensor4D {
  // TODO(05.heads): write splitHeads — notebooks/05-gpt.ipynb, section "4. Many heads" explains it.
  throw new NotImplementedError("05.heads", "exercises/05-gpt.ts", "splitHeads", "notebooks/05-gpt.ipynb, section \"4. Many heads\"");
}

/** The inverse of splitHeads: the heads side by side again.  [B, H, T, D] → [B, T, C] * Library twin: `mergeHeads` from @course/lib is the same function (scripts/test/twins.test.ts checks it); calling it here earns no points.
 */
export function mergeHeads(x: tf.Tensor4D): tf.Tensor3D {
  // TODO(05.heads): write mergeHeads — notebooks/05-gpt.ipynb, section "4. Many heads" explains it.
  throw new NotImplementedError("05.heads", "exercises/05-gpt.ts", "mergeHeads", "notebooks/05-gpt.ipynb, section \"4. Many heads\"");
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
  // TODO(05.block): write blockForward — notebooks/05-gpt.ipynb, section "5. The transformer block" explains it.
  throw new NotImplementedError("05.block", "exercises/05-gpt.ts", "blockForward", "notebooks/05-gpt.ipynb, section \"5. The transformer block\"");
}
