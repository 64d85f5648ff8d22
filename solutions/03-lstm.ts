/**
 * Lesson 03 — a recurrent language model of Moby Dick: the LSTM, trained with truncated
 * backpropagation through time.
 */
import { tf, sampleToken } from "@course/lib";
import type { LstmLM, LstmParams, LstmState, Rng } from "@course/lib";

/**
 * One step of the LSTM cell. All four gates come from one product: z = [x, h] · W + b, whose
 * columns are [i | f | g | o], H each. Then i, f, o = σ(·), g = tanh(·),
 * c' = f·c + i·g and h' = o·tanh(c').
 * x: [B, E], state.h, state.c: [B, H] → h', c': [B, H]
 * Library twin: `lstmCell` from @course/lib is the same function (scripts/test/twins.test.ts checks it); calling it here earns no points.
 */
export function lstmCell(params: LstmParams, x: tf.Tensor2D, state: LstmState): LstmState {
  // BEGIN SOLUTION exercise=03.lstm-cell section="3. The LSTM cell"
  const { W, b } = params;
  return tf.tidy(() => {
    const z = tf.concat([x, state.h], 1).matMul(W).add(b); // [B, E + H] · [E + H, 4H] → [B, 4H]
    const [zi, zf, zg, zo] = tf.split(z, 4, 1); // 4 × [B, H]
    const i = tf.sigmoid(zi!), f = tf.sigmoid(zf!), g = tf.tanh(zg!), o = tf.sigmoid(zo!);
    const c = f.mul(state.c).add(i.mul(g)) as tf.Tensor2D; // [B, H]
    const h = o.mul(tf.tanh(c)) as tf.Tensor2D; // [B, H]
    return { h, c };
  });
  // END SOLUTION
}

/**
 * The whole model over T steps from `state`: embed each token (row idx[b, t] of C), run
 * lstmCell at t = 0, 1, …, T − 1 carrying the state, and map every h to logits = h · Wout + bout.
 * Returns the logits and the state after the last step.
 * idx: [B, T] int32 → logits: [B, T, V], state: [B, H] each
 */
export function lstmForward(params: LstmParams, idx: tf.Tensor2D, state: LstmState): { logits: tf.Tensor3D; state: LstmState } {
  // BEGIN SOLUTION exercise=03.unroll section="4. Unrolling over time"
  const { C, Wout, bout } = params;
  const [B, T] = idx.shape;
  return tf.tidy(() => {
    const emb = tf.gather(C as tf.Tensor, idx); // [B, T, E]
    let s = state;
    const hs: tf.Tensor2D[] = [];
    for (let t = 0; t < T; t++) {
      const x = emb.slice([0, t, 0], [B, 1, -1]).reshape([B, -1]) as tf.Tensor2D; // [B, E]
      s = lstmCell(params, x, s); // [B, H]
      hs.push(s.h);
    }
    const H = s.h.shape[1];
    const logits = tf.stack(hs, 1).reshape([B * T, H]).matMul(Wout).add(bout); // [B·T, H] · [H, V] → [B·T, V]
    return { logits: logits.reshape([B, T, -1]) as tf.Tensor3D, state: s }; // [B, T, V]
  });
  // END SOLUTION
}

/**
 * Batch number `step` of truncated BPTT over `tokens`, read as a ring by `batchSize` streams that
 * start spacing = floor(n / batchSize) tokens apart: row b of x holds the blockSize tokens from
 * position (b·spacing + step·blockSize) mod n on (wrapping at the end), and y the token after
 * each. So row b of batch step + 1 continues row b of batch step.  → x, y: [batchSize, blockSize] int32
 */
export function tbpttBatch(tokens: Int32Array, batchSize: number, blockSize: number, step: number): { x: tf.Tensor2D; y: tf.Tensor2D } {
  // BEGIN SOLUTION exercise=03.tbptt-batch section="5. Truncated backpropagation through time"
  const n = tokens.length;
  const spacing = Math.floor(n / batchSize);
  const x: number[] = [], y: number[] = [];
  for (let b = 0; b < batchSize; b++) {
    const start = b * spacing + step * blockSize;
    for (let j = 0; j < blockSize; j++) {
      x.push(tokens[(start + j) % n] as number);
      y.push(tokens[(start + j + 1) % n] as number);
    }
  }
  return { x: tf.tensor2d(x, [batchSize, blockSize], "int32"), y: tf.tensor2d(y, [batchSize, blockSize], "int32") };
  // END SOLUTION
}

/**
 * One optimiser step of truncated BPTT: the mean cross-entropy of lstmForward(params, x, state)
 * against y, minimised by `optimizer` over the five parameters. Returns the loss before the
 * update and the final state, kept for the next batch: there it is a constant, so the gradient
 * stops at the batch boundary. The caller owns (and later disposes) both states.
 */
export function tbpttStep(
  params: LstmParams, x: tf.Tensor2D, y: tf.Tensor2D, state: LstmState, optimizer: tf.Optimizer,
): { loss: number; state: LstmState } {
  // BEGIN SOLUTION exercise=03.tbptt-step section="6. Training with carried state"
  const { C, W, b, Wout, bout } = params;
  let next: LstmState | undefined;
  const loss = optimizer.minimize(() => {
    const r = lstmForward(params, x, state);
    next = { h: tf.keep(r.state.h), c: tf.keep(r.state.c) }; // survives minimize's tidy
    const [B, T, V] = r.logits.shape;
    const logp = tf.logSoftmax(r.logits.reshape([B * T, V])); // [B·T, V]
    return logp.mul(tf.oneHot(y.reshape([B * T]) as tf.Tensor1D, V)).sum(1).mean().neg() as tf.Scalar;
  }, true, [C, W, b, Wout, bout]) as tf.Scalar;
  const value = loss.dataSync()[0] as number;
  loss.dispose();
  return { loss: value, state: next as LstmState };
  // END SOLUTION
}

/**
 * Sample `maxNewTokens` tokens after `context`: run the context through `model.run` from a zero
 * state, draw the next token from the last position's logits with sampleToken(logits, rng,
 * { temperature }), then feed that one token back in with the carried state, and repeat.
 * Returns the new tokens only; leaves no tensors behind.
 */
export function sampleText(model: LstmLM, context: readonly number[], rng: Rng, maxNewTokens: number, temperature = 1): number[] {
  // BEGIN SOLUTION exercise=03.sample section="7. Sampling, one character at a time"
  const out: number[] = [];
  let input = [...context];
  let state: LstmState | undefined;
  for (let k = 0; k < maxNewTokens; k++) {
    const r = tf.tidy(() => {
      const { logits, state: s } = model.run(tf.tensor2d([input], [1, input.length], "int32"), state); // [1, T, V]
      return { last: logits.slice([0, input.length - 1, 0], [1, 1, -1]).reshape([-1]), s }; // [V]
    });
    if (state) tf.dispose([state.h, state.c]);
    state = r.s;
    const token = sampleToken(r.last.dataSync(), rng, { temperature });
    r.last.dispose();
    out.push(token);
    input = [token];
  }
  if (state) tf.dispose([state.h, state.c]);
  return out;
  // END SOLUTION
}
