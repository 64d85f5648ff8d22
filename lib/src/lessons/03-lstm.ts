// Generated from solutions/03-lstm.ts by `npm run exercises`: the types `lesson("03")` returns. Do not edit.
/**
 * Lesson 03 — a recurrent language model of Moby Dick: the LSTM, trained with truncated
 * backpropagation through time.
 */
import type { tf } from "../index";
import type { LstmLM, LstmParams, LstmState, Rng } from "../index";
/**
 * One step of the LSTM cell. All four gates come from one product: z = [x, h] · W + b, whose
 * columns are [i | f | g | o], H each. Then i, f, o = σ(·), g = tanh(·),
 * c' = f·c + i·g and h' = o·tanh(c').
 * x: [B, E], state.h, state.c: [B, H] → h', c': [B, H]
 * Library twin: `lstmCell` from @course/lib is the same function (scripts/test/twins.test.ts checks it); calling it here earns no points.
 */
export declare function lstmCell(params: LstmParams, x: tf.Tensor2D, state: LstmState): LstmState;
/**
 * The whole model over T steps from `state`: embed each token (row idx[b, t] of C), run
 * lstmCell at t = 0, 1, …, T − 1 carrying the state, and map every h to logits = h · Wout + bout.
 * Returns the logits and the state after the last step.
 * idx: [B, T] int32 → logits: [B, T, V], state: [B, H] each
 */
export declare function lstmForward(params: LstmParams, idx: tf.Tensor2D, state: LstmState): {
    logits: tf.Tensor3D;
    state: LstmState;
};
/**
 * Batch number `step` of truncated BPTT over `tokens`, read as a ring by `batchSize` streams that
 * start spacing = floor(n / batchSize) tokens apart: row b of x holds the blockSize tokens from
 * position (b·spacing + step·blockSize) mod n on (wrapping at the end), and y the token after
 * each. So row b of batch step + 1 continues row b of batch step.  → x, y: [batchSize, blockSize] int32
 */
export declare function tbpttBatch(tokens: Int32Array, batchSize: number, blockSize: number, step: number): {
    x: tf.Tensor2D;
    y: tf.Tensor2D;
};
/**
 * One optimiser step of truncated BPTT: the mean cross-entropy of lstmForward(params, x, state)
 * against y, minimised by `optimizer` over the five parameters. Returns the loss before the
 * update and the final state, kept for the next batch: there it is a constant, so the gradient
 * stops at the batch boundary. The caller owns (and later disposes) both states.
 */
export declare function tbpttStep(params: LstmParams, x: tf.Tensor2D, y: tf.Tensor2D, state: LstmState, optimizer: tf.Optimizer): {
    loss: number;
    state: LstmState;
};
/**
 * Sample `maxNewTokens` tokens after `context`: run the context through `model.run` from a zero
 * state, draw the next token from the last position's logits with sampleToken(logits, rng,
 * { temperature }), then feed that one token back in with the carried state, and repeat.
 * Returns the new tokens only; leaves no tensors behind.
 */
export declare function sampleText(model: LstmLM, context: readonly number[], rng: Rng, maxNewTokens: number, temperature?: number): number[];
