// Generated from solutions/02-mlp.ts by `npm run exercises`: the types `lesson("02")` returns. Do not edit.
/**
 * Lesson 02 — a neural language model of names: embeddings + MLP (Bengio et al., 2003).
 */
import type { tf, CharVocab } from "../index";
import type { MlpParams } from "../index";
/**
 * The training examples of a context-window model. For each word, and each of its characters
 * followed by the end token, one example: X = the blockSize previous tokens (oldest first,
 * starting from blockSize boundary tokens 0), Y = that next token. "emma" with blockSize 3 gives
 * ... → e, ..e → m, .em → m, emm → a, mma → .   → X: [N, blockSize] int32, Y: [N] int32
 */
export declare function buildContexts(words: readonly string[], vocab: CharVocab, blockSize: number): {
    X: tf.Tensor2D;
    Y: tf.Tensor1D;
};
/**
 * Look up each token of each window in the embedding table C and concatenate a window's vectors
 * into one row.  C: [V, E], X: [N, blockSize] int32 → [N, blockSize·E]
 */
export declare function embed(C: tf.Tensor2D, X: tf.Tensor2D): tf.Tensor2D;
/**
 * The MLP: h = tanh(embed(C, X) · W1 + b1), logits = h · W2 + b2.
 * X: [N, blockSize] int32 → [N, V]
 */
export declare function mlpLogits(params: MlpParams, X: tf.Tensor2D): tf.Tensor2D;
/**
 * Mean negative log-likelihood of the targets: −(1/N) Σ log softmax(logits)[n, Y[n]], computed
 * with logSoftmax so large logits neither overflow nor underflow.
 * logits: [N, V], Y: [N] int32 → []
 */
export declare function nllLoss(logits: tf.Tensor2D, Y: tf.Tensor1D): tf.Scalar;
/**
 * One step of gradient descent on a minibatch: the loss of mlpLogits on (X, Y), its gradients
 * with respect to the five parameters, one update by `optimizer`. Returns the loss before the
 * update, as a number; leaves no tensors behind.
 */
export declare function trainStep(params: MlpParams, X: tf.Tensor2D, Y: tf.Tensor1D, optimizer: tf.Optimizer): number;
