/**
 * The tiny GPT: token + position embeddings (vocab 65, d 64, T 32), 2 pre-norm blocks of causal
 * self-attention (2 heads of 32) and an MLP (64 → 256 → 64, ReLU), final layer norm, dense 65;
 * softmax cross-entropy on a fixed batch of 16 sequences. Adam, lr 1e-3.
 *
 * It runs the library's GPT pieces (lib/src/lm/gpt-fused.ts), as lesson 05's model does: with the
 * wasm speed work on, layer norm and scale + causal mask + softmax are one kernel each way and a
 * bias's gradient is one pass; elsewhere (wasm-stock, other backends, GENAI_WASM_FUSED=0) the same
 * functions run the plain composition a notebook writes: tf.moments layer norm, an additive
 * causal mask, softmax.
 */
import { Rng, fusedBiasAdd, fusedBiasRelu, fusedCausalSoftmax, fusedLayerNorm, tf } from "@course/lib";
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

/** Layer norm's gain and shift (1 and 0), made as bench/models/layers.ts's layerNorm makes them. */
function norm(p: Params): { g: T1; b: T1 } {
  const before = p.vars.length;
  layerNorm(p, D);
  const [g, b] = p.vars.slice(before) as unknown as [T1, T1];
  return { g, b };
}

const dense = (x: T2, l: { w: T2; b: T1 }): T2 => fusedBiasAdd(tf.matMul(x, l.w), l.b);

function block(p: Params): (x: T2) => T2 {
  const [ln1, qkv, proj, ln2, up, down] = [norm(p), linear(p, D, 3 * D), linear(p, D, D), norm(p), linear(p, D, 4 * D), linear(p, 4 * D, D)];
  return (x) => {
    // x: [B·T, D]
    const heads = tf.transpose(tf.reshape(dense(fusedLayerNorm(x, ln1.g, ln1.b), qkv), [B, T, 3, HEADS, HEAD]), [2, 0, 3, 1, 4]); // [3, B, H, T, HEAD]
    const [q, k, v] = tf.unstack(heads) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
    const weights = fusedCausalSoftmax(tf.matMul<tf.Tensor4D>(q, k, false, true), 1 / Math.sqrt(HEAD)); // [B, H, T, T]
    const att = tf.matMul(weights, v); // [B, H, T, HEAD]
    const merged = tf.reshape(tf.transpose(att, [0, 2, 1, 3]), [B * T, D]) as T2; // [B·T, D]
    const x1 = tf.add<T2>(x, dense(merged, proj));
    const hidden = fusedBiasRelu(tf.matMul(fusedLayerNorm(x1, ln2.g, ln2.b), up.w), up.b); // [B·T, 4D]
    return tf.add<T2>(x1, dense(hidden, down));
  };
}

export function buildGpt(rng: Rng): BenchModel {
  const p = new Params(rng);
  const tokEmb = p.normal([VOCAB, D], 0.02);
  const posEmb = p.normal([T, D], 0.02);
  const blocks = Array.from({ length: BLOCKS }, () => block(p));
  const lnF = norm(p);
  const head = linear(p, D, VOCAB);
  const [inputs, y] = tf.tidy(() => {
    const tokens = randint(rng, [B, T + 1], VOCAB);
    const targets = tf.reshape(tf.slice(tokens, [0, 1], [B, T]), [B * T]) as tf.Tensor1D;
    return [tf.reshape(tf.slice(tokens, [0, 0], [B, T]), [B * T]), tf.oneHot(targets, VOCAB)];
  });
  const opt = adam(1e-3);

  const loss = (): tf.Scalar => {
    const tok = tf.reshape(tf.gather(tokEmb, inputs), [B, T, D]); // [B, T, D]
    let x = tf.reshape(tf.add(tok, posEmb), [B * T, D]) as T2; // [B·T, D]
    for (const f of blocks) x = f(x);
    const logits = dense(fusedLayerNorm(x, lnF.g, lnF.b), head); // [B·T, V]
    return tf.losses.softmaxCrossEntropy(y, logits);
  };
  return {
    step: () => opt.minimize(loss, true, p.vars) as tf.Scalar,
    dispose: () => {
      opt.dispose();
      p.dispose();
      tf.dispose([inputs, y]);
    },
  };
}
