/**
 * The character LSTM: embedding (vocab 65, 32) → one LSTM layer of 128 units over T = 32 steps →
 * dense 65 at every step, softmax cross-entropy, on a fixed batch of 32 sequences. Adam, lr 1e-3.
 * The input projection of all steps is one matMul; the recurrence is the course's lstmSequence
 * (lib/src/lm/lstm-fused.ts: on wasm one kernel for the whole sequence forward and one
 * backward, like cuDNN's fused LSTM; elsewhere the same ops step by step). PyTorch's gate order
 * i, f, g, o.
 */
import { Rng, lstmSequence, tf } from "@course/lib";
import { adam, Params, randint } from "./layers";
import type { BenchModel } from "./types";

const VOCAB = 65;
const EMB = 32;
const HIDDEN = 128;
const T = 32;
const B = 32;

export function buildLstm(rng: Rng): BenchModel {
  const p = new Params(rng);
  const emb = p.normal([VOCAB, EMB], 1);
  const bound = 1 / Math.sqrt(HIDDEN);
  const wx = p.uniform([EMB, 4 * HIDDEN], bound);
  const wh = p.uniform([HIDDEN, 4 * HIDDEN], bound);
  const b = p.uniform([4 * HIDDEN], bound);
  const wOut = p.uniform([HIDDEN, VOCAB], bound);
  const bOut = p.uniform([VOCAB], bound);
  const [inputs, y] = tf.tidy(() => {
    const tokens = randint(rng, [B, T + 1], VOCAB);
    const targets = tf.reshape(tf.slice(tokens, [0, 1], [B, T]), [B * T]) as tf.Tensor1D;
    return [tf.slice(tokens, [0, 0], [B, T]), tf.oneHot(targets, VOCAB)];
  });
  const opt = adam(1e-3);

  const loss = (): tf.Scalar => {
    const e = tf.gather(emb, tf.reshape(inputs, [B * T]));
    const xw = tf.reshape(tf.add(tf.matMul(e, wx), b), [B, T, 4 * HIDDEN]) as tf.Tensor3D; // [B, T, 4H]
    const h0 = tf.zeros([B, HIDDEN]) as tf.Tensor2D;
    const { hs } = lstmSequence(xw, wh as tf.Tensor2D, h0, h0); // [B, T, H]
    const out = tf.reshape(hs, [B * T, HIDDEN]);
    const logits = tf.add(tf.matMul(out as tf.Tensor2D, wOut), bOut);
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
