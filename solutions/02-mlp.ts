/**
 * Lesson 02 — a neural language model of names: embeddings + MLP (Bengio et al., 2003).
 */
import { tf, CharVocab, CourseError } from "@course/lib";
import type { MlpParams } from "@course/lib";

/**
 * The training examples of a context-window model. For each word, and each of its characters
 * followed by the end token, one example: X = the blockSize previous tokens (oldest first,
 * starting from blockSize boundary tokens 0), Y = that next token. "emma" with blockSize 3 gives
 * ... → e, ..e → m, .em → m, emm → a, mma → .   → X: [N, blockSize] int32, Y: [N] int32
 */
export function buildContexts(
  words: readonly string[],
  vocab: CharVocab,
  blockSize: number,
): { X: tf.Tensor2D; Y: tf.Tensor1D } {
  // BEGIN SOLUTION exercise=02.contexts section="2. Contexts: what the model sees"
  if (!(Number.isInteger(blockSize) && blockSize >= 1)) {
    throw new CourseError(`blockSize must be an integer ≥ 1, got ${blockSize}.`);
  }
  const X: number[] = [], Y: number[] = [];
  for (const word of words) {
    let context = new Array<number>(blockSize).fill(0);
    for (const id of [...vocab.encode(word), 0]) {
      X.push(...context);
      Y.push(id);
      context = [...context.slice(1), id]; // slide the window one token on
    }
  }
  return { X: tf.tensor2d(X, [Y.length, blockSize], "int32"), Y: tf.tensor1d(Y, "int32") };
  // END SOLUTION
}

/**
 * Look up each token of each window in the embedding table C and concatenate a window's vectors
 * into one row.  C: [V, E], X: [N, blockSize] int32 → [N, blockSize·E]
 */
export function embed(C: tf.Tensor2D, X: tf.Tensor2D): tf.Tensor2D {
  // BEGIN SOLUTION exercise=02.embed section="3. Embeddings"
  const [N, blockSize] = X.shape;
  return tf.tidy(() => tf.gather(C, X).reshape([N, blockSize * C.shape[1]]) as tf.Tensor2D); // [N, blockSize, E] → [N, blockSize·E]
  // END SOLUTION
}

/**
 * The MLP: h = tanh(embed(C, X) · W1 + b1), logits = h · W2 + b2.
 * X: [N, blockSize] int32 → [N, V]
 */
export function mlpLogits(params: MlpParams, X: tf.Tensor2D): tf.Tensor2D {
  // BEGIN SOLUTION exercise=02.mlp-logits section="4. The MLP"
  const { C, W1, b1, W2, b2 } = params;
  return tf.tidy(() => {
    const h = tf.tanh(embed(C, X).matMul(W1).add(b1)); // [N, blockSize·E] · [blockSize·E, H] → [N, H]
    return h.matMul(W2).add(b2) as tf.Tensor2D; // [N, H] · [H, V] → [N, V]
  });
  // END SOLUTION
}

/**
 * Mean negative log-likelihood of the targets: −(1/N) Σ log softmax(logits)[n, Y[n]], computed
 * with logSoftmax so large logits neither overflow nor underflow.
 * logits: [N, V], Y: [N] int32 → []
 */
export function nllLoss(logits: tf.Tensor2D, Y: tf.Tensor1D): tf.Scalar {
  // BEGIN SOLUTION exercise=02.nll-loss section="5. The loss"
  const [, V] = logits.shape;
  return tf.tidy(() => {
    const logp = tf.logSoftmax(logits); // [N, V]
    return logp.mul(tf.oneHot(Y, V)).sum(1).mean().neg() as tf.Scalar; // pick log p[n, Y[n]]: [N] → []
  });
  // END SOLUTION
}

/**
 * One step of gradient descent on a minibatch: the loss of mlpLogits on (X, Y), its gradients
 * with respect to the five parameters, one update by `optimizer`. Returns the loss before the
 * update, as a number; leaves no tensors behind.
 */
export function trainStep(params: MlpParams, X: tf.Tensor2D, Y: tf.Tensor1D, optimizer: tf.Optimizer): number {
  // BEGIN SOLUTION exercise=02.train-step section="6. Training by hand"
  const { C, W1, b1, W2, b2 } = params;
  const loss = optimizer.minimize(() => nllLoss(mlpLogits(params, X), Y), true, [C, W1, b1, W2, b2]) as tf.Scalar;
  const value = loss.dataSync()[0] as number;
  loss.dispose();
  return value;
  // END SOLUTION
}
