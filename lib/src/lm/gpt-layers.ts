/**
 * The layers of a GPT (Radford et al., 2018; nanoGPT's layout): layer norm, causal scaled
 * dot-product attention, the split of the channels into heads and their merge, and one pre-norm
 * transformer block. Dense layers run on 2-D [B·T, C] matrices, heads with one rank-4 transpose.
 */
import { CourseError, assertShape } from "../errors";
import { tf } from "../tf";

/** One transformer block's parameters. The query, key and value maps share one matrix: columns [q | k | v], C each. */
export interface GptBlockParams {
  /** Layer norm before attention: gain and shift.  [C], [C] */
  ln1g: tf.Variable<tf.Rank.R1>;
  ln1b: tf.Variable<tf.Rank.R1>;
  /** Query, key and value maps.  [C, 3C], [3C] */
  Wqkv: tf.Variable<tf.Rank.R2>;
  bqkv: tf.Variable<tf.Rank.R1>;
  /** Output map of the merged heads.  [C, C], [C] */
  Wo: tf.Variable<tf.Rank.R2>;
  bo: tf.Variable<tf.Rank.R1>;
  /** Layer norm before the MLP.  [C], [C] */
  ln2g: tf.Variable<tf.Rank.R1>;
  ln2b: tf.Variable<tf.Rank.R1>;
  /** MLP: C → 4C (ReLU) → C.  [C, 4C], [4C], [4C, C], [C] */
  W1: tf.Variable<tf.Rank.R2>;
  b1: tf.Variable<tf.Rank.R1>;
  W2: tf.Variable<tf.Rank.R2>;
  b2: tf.Variable<tf.Rank.R1>;
}

/** Layer norm over the last axis: (x − mean) / √(var + 1e-5) · g + b.  x: [N, C] → [N, C] */
export function layerNorm(x: tf.Tensor2D, g: tf.Tensor1D, b: tf.Tensor1D): tf.Tensor2D {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, -1, true); // [N, 1] each
    return x.sub(mean).mul(variance.add(1e-5).rsqrt()).mul(g).add(b) as tf.Tensor2D; // [N, C]
  });
}

/** The additive causal mask: 0 on and below the diagonal, −1e9 above (future positions).  → [T, T] */
export function causalMask(T: number): tf.Tensor2D {
  return tf.tidy(() => tf.sub(1, tf.linalg.bandPart(tf.ones([T, T]), -1, 0)).mul(-1e9) as tf.Tensor2D); // [T, T]
}

/**
 * Causal scaled dot-product attention of every head: weights = softmax(q·kᵀ/√D + mask), out =
 * weights·v. Row t of the weights is how much position t reads from each position ≤ t.
 * q, k, v: [B, H, T, D] → out: [B, H, T, D], weights: [B, H, T, T]
 */
export function causalAttention(q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D): { out: tf.Tensor4D; weights: tf.Tensor4D } {
  const [, , T, D] = q.shape;
  assertShape(k.shape, q.shape, "k");
  return tf.tidy(() => {
    const scores = tf.matMul(q.mul(1 / Math.sqrt(D)), k, false, true).add(causalMask(T)); // [B, H, T, T]
    const weights = tf.softmax(scores) as tf.Tensor4D; // [B, H, T, T]
    return { out: tf.matMul(weights, v) as tf.Tensor4D, weights }; // [B, H, T, D]
  });
}

/** D = C / H: the size of each head, or an error when H is not a whole divisor of C. */
function headSize(C: number, heads: number, what: string): number {
  if (!(Number.isInteger(heads) && heads >= 1 && C % heads === 0)) {
    throw new CourseError(`${what}: heads must be a whole number ≥ 1 that divides the ${C} channels, got ${heads}.`);
  }
  return C / heads;
}

/**
 * Cut the C channels of every position into H heads of D = C / H, head h taking channels
 * h·D … h·D + D − 1. gptBlock cuts q, k and v at once, as 3H heads of [q | k | v].
 * [B, T, C] → [B, H, T, D]
 */
export function splitHeads(x: tf.Tensor3D, heads: number): tf.Tensor4D {
  assertShape(x.shape, [null, null, null], "splitHeads(x, heads): x");
  const [B, T, C] = x.shape;
  const D = headSize(C, heads, "splitHeads(x, heads)");
  return tf.tidy(() => tf.transpose(tf.reshape(x, [B, T, heads, D]), [0, 2, 1, 3])); // [B, T, H, D] → [B, H, T, D]
}

/** Put the heads side by side again, the inverse of splitHeads.  [B, H, T, D] → [B, T, H·D] */
export function mergeHeads(x: tf.Tensor4D): tf.Tensor3D {
  assertShape(x.shape, [null, null, null, null], "mergeHeads(x): x");
  const [B, H, T, D] = x.shape;
  return tf.tidy(() => tf.reshape(tf.transpose(x, [0, 2, 1, 3]), [B, T, H * D])); // [B, T, H, D] → [B, T, C]
}

/**
 * One pre-norm block: x + attention(layerNorm(x)), then + MLP(layerNorm(·)). q, k and v come from
 * one product and are split into heads with one reshape and one transpose.
 * x: [B, T, C] → x: [B, T, C], weights: [B, H, T, T]
 */
export function gptBlock(p: GptBlockParams, x: tf.Tensor3D, heads: number): { x: tf.Tensor3D; weights: tf.Tensor4D } {
  const [B, T, C] = x.shape;
  return tf.tidy(() => {
    const flat = x.reshape([B * T, C]) as tf.Tensor2D; // [B·T, C]
    const qkv = layerNorm(flat, p.ln1g, p.ln1b).matMul(p.Wqkv).add(p.bqkv); // [B·T, 3C]
    const all = splitHeads(qkv.reshape([B, T, 3 * C]), 3 * heads); // [B, 3H, T, D]: q's heads, then k's, then v's
    const [q, k, v] = tf.split(all, 3, 1) as tf.Tensor4D[]; // 3 × [B, H, T, D]
    const att = causalAttention(q!, k!, v!);
    const merged = mergeHeads(att.out).reshape([B * T, C]); // [B·T, C]
    const x1 = flat.add(merged.matMul(p.Wo).add(p.bo)) as tf.Tensor2D; // [B·T, C]
    const hidden = tf.relu(layerNorm(x1, p.ln2g, p.ln2b).matMul(p.W1).add(p.b1)); // [B·T, 4C]
    const x2 = x1.add(hidden.matMul(p.W2).add(p.b2)); // [B·T, C]
    return { x: x2.reshape([B, T, C]) as tf.Tensor3D, weights: att.weights }; // [B, T, C]
  });
}
