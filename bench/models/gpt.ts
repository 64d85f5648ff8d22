/**
 * The tiny GPT: token + position embeddings (vocab 65, d 64, T 32), 2 pre-norm blocks of causal
 * self-attention (2 heads of 32) and an MLP (64 → 256 → 64, ReLU), final layer norm, dense 65;
 * softmax cross-entropy on a fixed batch of 16 sequences. Adam, lr 1e-3.
 *
 * Two forms of the same maths, picked when the model is built: with the wasm speed work on, the
 * library's fused GPT pieces (lib/src/lm/gpt-fused.ts: layer norm and scale + causal mask +
 * softmax as one kernel each way, bias adds whose bias gradient is one pass), as lesson 05's
 * model runs; otherwise (wasm-stock, other backends, GENAI_WASM_FUSED=0) as a notebook writes
 * it: tf.moments layer norm, batched matMul(q, k, false, true), an additive causal mask, softmax.
 */
import { Rng, fusedBiasAdd, fusedBiasRelu, fusedCausalSoftmax, fusedGptActive, fusedLayerNorm, tf } from "@course/lib";
import { adam, layerNorm, Params, randint } from "./layers";
import type { BenchModel } from "./types";

const VOCAB = 65;
const D = 64;
const HEADS = 2;
const HEAD = D / HEADS;
const BLOCKS = 2;
const T = 32;
const B = 16;

type T1 = tf.Tensor1D;
type T2 = tf.Tensor2D;

/** A dense layer's weights, drawn as bench/models/layers.ts's dense() draws them (w, then b). */
function linear(p: Params, fanIn: number, fanOut: number): { w: T2; b: T1 } {
  const bound = 1 / Math.sqrt(fanIn);
  return { w: p.uniform([fanIn, fanOut], bound) as tf.Variable<tf.Rank.R2>, b: p.uniform([fanOut], bound) as tf.Variable<tf.Rank.R1> };
}

/** Layer norm's gain and shift (1 and 0), with the plain form alongside. */
function norm(p: Params): { g: T1; b: T1; plain: (x: tf.Tensor) => tf.Tensor } {
  const before = p.vars.length;
  const plain = layerNorm(p, D);
  const [g, b] = p.vars.slice(before) as unknown as [T1, T1];
  return { g, b, plain };
}

function block(p: Params, fused: boolean): (x: T2, mask: tf.Tensor) => T2 {
  const [ln1, qkv, proj, ln2, up, down] = [norm(p), linear(p, D, 3 * D), linear(p, D, D), norm(p), linear(p, D, 4 * D), linear(p, 4 * D, D)];
  const dense = (x: T2, l: { w: T2; b: T1 }) => (fused ? fusedBiasAdd(tf.matMul(x, l.w), l.b) : tf.add<T2>(tf.matMul(x, l.w), l.b));
  const lnorm = (x: T2, l: typeof ln1) => (fused ? fusedLayerNorm(x, l.g, l.b) : (l.plain(x) as T2));
  return (x, mask) => {
    // x: [B·T, D]
    const heads = tf.transpose(tf.reshape(dense(lnorm(x, ln1), qkv), [B, T, 3, HEADS, HEAD]), [2, 0, 3, 1, 4]); // [3, B, H, T, HEAD]
    const [q, k, v] = tf.unstack(heads) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
    const raw = tf.matMul<tf.Tensor4D>(q, k, false, true); // [B, H, T, T]
    const weights = fused ? fusedCausalSoftmax(raw, 1 / Math.sqrt(HEAD)) : tf.softmax(tf.add(tf.mul(raw, 1 / Math.sqrt(HEAD)), mask));
    const att = tf.matMul(weights, v); // [B, H, T, HEAD]
    const merged = tf.reshape(tf.transpose(att, [0, 2, 1, 3]), [B * T, D]) as T2; // [B·T, D]
    const x1 = tf.add<T2>(x, dense(merged, proj));
    const h = lnorm(x1, ln2);
    const hidden = fused ? fusedBiasRelu(tf.matMul(h, up.w), up.b) : tf.relu(dense(h, up)); // [B·T, 4D]
    return tf.add<T2>(x1, dense(hidden, down));
  };
}

export function buildGpt(rng: Rng): BenchModel {
  const fused = fusedGptActive();
  const p = new Params(rng);
  const tokEmb = p.normal([VOCAB, D], 0.02);
  const posEmb = p.normal([T, D], 0.02);
  const blocks = Array.from({ length: BLOCKS }, () => block(p, fused));
  const lnF = norm(p);
  const head = linear(p, D, VOCAB);
  const [inputs, y, mask] = tf.tidy(() => {
    const tokens = randint(rng, [B, T + 1], VOCAB);
    const targets = tf.reshape(tf.slice(tokens, [0, 1], [B, T]), [B * T]) as tf.Tensor1D;
    return [
      tf.reshape(tf.slice(tokens, [0, 0], [B, T]), [B * T]),
      tf.oneHot(targets, VOCAB),
      // 0 on and below the diagonal, −1e9 above: added to the scores before the softmax.
      tf.mul(tf.sub(1, tf.linalg.bandPart(tf.ones([T, T]), -1, 0)), -1e9),
    ];
  });
  const opt = adam(1e-3);

  const loss = (): tf.Scalar => {
    const tok = tf.reshape(tf.gather(tokEmb, inputs), [B, T, D]); // [B, T, D]
    let x = tf.reshape(tf.add(tok, posEmb), [B * T, D]) as T2; // [B·T, D]
    for (const f of blocks) x = f(x, mask);
    const h = fused ? fusedLayerNorm(x, lnF.g, lnF.b) : (lnF.plain(x) as T2);
    const logits = fused ? fusedBiasAdd(tf.matMul(h, head.w), head.b) : tf.add<T2>(tf.matMul(h, head.w), head.b); // [B·T, V]
    return tf.losses.softmaxCrossEntropy(y, logits);
  };
  return {
    step: () => opt.minimize(loss, true, p.vars) as tf.Scalar,
    dispose: () => {
      opt.dispose();
      p.dispose();
      tf.dispose([inputs, y, mask]);
    },
  };
}
