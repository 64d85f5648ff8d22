/**
 * The tiny GPT: token + position embeddings (vocab 65, d 64, T 32), 2 pre-norm blocks of causal
 * self-attention (2 heads of 32) and an MLP (64 → 256 → 64, ReLU), final layer norm, dense 65;
 * softmax cross-entropy on a fixed batch of 16 sequences. Adam, lr 1e-3. Attention is written as
 * a notebook writes it: batched matMul(q, k, false, true), an additive causal mask, softmax.
 */
import { Rng, tf } from "@course/lib";
import { adam, dense, layerNorm, Params, randint } from "./layers";
import type { BenchModel } from "./types";

const VOCAB = 65;
const D = 64;
const HEADS = 2;
const HEAD = D / HEADS;
const BLOCKS = 2;
const T = 32;
const B = 16;

function block(p: Params): (x: tf.Tensor, mask: tf.Tensor) => tf.Tensor {
  const ln1 = layerNorm(p, D);
  const qkv = dense(p, D, 3 * D);
  const proj = dense(p, D, D);
  const ln2 = layerNorm(p, D);
  const up = dense(p, D, 4 * D);
  const down = dense(p, 4 * D, D);
  return (x, mask) => {
    // x: [B·T, D]
    const heads = tf.transpose(tf.reshape(qkv(ln1(x)), [B, T, 3, HEADS, HEAD]), [2, 0, 3, 1, 4]);
    const [q, k, v] = tf.unstack(heads) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
    const scores = tf.add(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(HEAD)), mask);
    const att = tf.matMul(tf.softmax(scores), v); // [B, H, T, HEAD]
    const merged = tf.reshape(tf.transpose(att, [0, 2, 1, 3]), [B * T, D]);
    const x1 = tf.add(x, proj(merged));
    return tf.add(x1, down(tf.relu(up(ln2(x1)))));
  };
}

export function buildGpt(rng: Rng): BenchModel {
  const p = new Params(rng);
  const tokEmb = p.normal([VOCAB, D], 0.02);
  const posEmb = p.normal([T, D], 0.02);
  const blocks = Array.from({ length: BLOCKS }, () => block(p));
  const lnF = layerNorm(p, D);
  const head = dense(p, D, VOCAB);
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
    const tok = tf.reshape(tf.gather(tokEmb, inputs), [B, T, D]);
    let x: tf.Tensor = tf.reshape(tf.add(tok, posEmb), [B * T, D]);
    for (const f of blocks) x = f(x, mask);
    return tf.losses.softmaxCrossEntropy(y, head(lnF(x)));
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
