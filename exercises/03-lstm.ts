// Exercise file generated from solutions/03-lstm.ts by `npm run exercises`.
// Replace each TODO + throw with your code; `npm run grade` checks it. The generator never
// overwrites this file once you have changed it.
/**
 * Lesson 03 — a recurrent language model of Moby Dick: the LSTM, trained with truncated
 * backpropagation through time.
 */
import { NotImplementedError, tf, sampleToken } from "@course/lib";
import type { LstmLM, LstmParams, LstmState, Rng } from "@course/lib";

/**
 * One step of the LSTM cell. All four gates come from one product: z = [x, h] · W + b, whose
 * columns are [i | f | g | o], H each. Then i, f, o = σ(·), g = tanh(·),
 * c' = f·c + i·g and h' = o·tanh(c').
 * x: [B, E], state.h, state.c: [B, H] → h', c': [B, H]
 * Library twin: `lstmCell` from @course/lib is the same function (scripts/test/twins.test.ts checks it); calling it here earns no points.
 */
export function lstmCell(params: LstmParams, x: tf.Tensor2D, state: LstmState): LstmState {
  // TODO(03.lstm-cell): write lstmCell — notebooks/03-lstm.ipynb, section "3. The LSTM cell" explains it.
  throw new NotImplementedError("03.lstm-cell", "exercises/03-lstm.ts", "lstmCell", "notebooks/03-lstm.ipynb, section \"3. The LSTM cell\"");
}

/**
 * The whole model over T steps from `state`: embed each token (row idx[b, t] of C), run
 * lstmCell at t = 0, 1, …, T − 1 carrying the state, and map every h to logits = h · Wout + bout.
 * Returns the logits and the state after the last step.
 * idx: [B, T] int32 → logits: [B, T, V], state: [B, H] each
 */
export function lstmForward(params: LstmParams, idx: tf.Tensor2D, state: LstmState): { logits: tf.Tensor3D; state: LstmState } {
  // TODO(03.unroll): write lstmForward — notebooks/03-lstm.ipynb, section "4. Unrolling over time" explains it.
  throw new NotImplementedError("03.unroll", "exercises/03-lstm.ts", "lstmForward", "notebooks/03-lstm.ipynb, section \"4. Unrolling over time\"");
}

/**
 * Batch number `step` of truncated BPTT over `tokens`, read as a ring by `batchSize` streams that
 * start spacing = floor(n / batchSize) tokens apart: row b of x holds the blockSize tokens from
 * position (b·spacing + step·blockSize) mod n on (wrapping at the end), and y the token after
 * each. So row b of batch step + 1 continues row b of batch step.  → x, y: [batchSize, blockSize] int32
 */
export function tbpttBatch(tokens: Int32Array, batchSize: number, blockSize: number, step: number): { x: tf.Tensor2D; y: tf.Tensor2D } {
  // TODO(03.tbptt-batch): write tbpttBatch — notebooks/03-lstm.ipynb, section "5. Truncated backpropagation through time" explains it.
  throw new NotImplementedError("03.tbptt-batch", "exercises/03-lstm.ts", "tbpttBatch", "notebooks/03-lstm.ipynb, section \"5. Truncated backpropagation through time\"");
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
  // TODO(03.tbptt-step): write tbpttStep — notebooks/03-lstm.ipynb, section "6. Training with carried state" explains it.
  throw new NotImplementedError("03.tbptt-step", "exercises/03-lstm.ts", "tbpttStep", "notebooks/03-lstm.ipynb, section \"6. Training with carried state\"");
}

/**
 * Sample `maxNewTokens` tokens after `context`: run the context through `model.run` from a zero
 * state, draw the next token from the last position's logits with sampleToken(logits, rng,
 * { temperature }), then feed that one token back in with the carried state, and repeat.
 * Returns the new tokens only; leaves no tensors behind.
 */
export function sampleText(model: LstmLM, context: readonly number[], rng: Rng, maxNewTokens: number, temperature = 1): number[] {
  // TODO(03.sample): write sampleText — notebooks/03-lstm.ipynb, section "7. Sampling, one character at a time" explains it.
  throw new NotImplementedError("03.sample", "exercises/03-lstm.ts", "sampleText", "notebooks/03-lstm.ipynb, section \"7. Sampling, one character at a time\"");
}
