// Exercise file generated from solutions/02-mlp.ts by `npm run exercises`.
// Replace each TODO + throw with your code; `npm run grade` checks it. The generator never
// overwrites this file once you have changed it.
/**
 * Lesson 02 — a neural language model of names: embeddings + MLP (Bengio et al., 2003).
 */
import { NotImplementedError, tf, CharVocab, CourseError } from "@course/lib";
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
  // TODO(02.contexts): write buildContexts — notebooks/02-mlp.ipynb, section "2. Contexts: what the model sees" explains it.
  throw new NotImplementedError("02.contexts", "exercises/02-mlp.ts", "buildContexts", "notebooks/02-mlp.ipynb, section \"2. Contexts: what the model sees\"");
}

/**
 * Look up each token of each window in the embedding table C and concatenate a window's vectors
 * into one row.  C: [V, E], X: [N, blockSize] int32 → [N, blockSize·E]
 */
export function embed(C: tf.Tensor2D, X: tf.Tensor2D): tf.Tensor2D {
  // TODO(02.embed): write embed — notebooks/02-mlp.ipynb, section "3. Embeddings" explains it.
  throw new NotImplementedError("02.embed", "exercises/02-mlp.ts", "embed", "notebooks/02-mlp.ipynb, section \"3. Embeddings\"");
}

/**
 * The MLP: h = tanh(embed(C, X) · W1 + b1), logits = h · W2 + b2.
 * X: [N, blockSize] int32 → [N, V]
 */
export function mlpLogits(params: MlpParams, X: tf.Tensor2D): tf.Tensor2D {
  // TODO(02.mlp-logits): write mlpLogits — notebooks/02-mlp.ipynb, section "4. The MLP" explains it.
  throw new NotImplementedError("02.mlp-logits", "exercises/02-mlp.ts", "mlpLogits", "notebooks/02-mlp.ipynb, section \"4. The MLP\"");
}

/**
 * Mean negative log-likelihood of the targets: −(1/N) Σ log softmax(logits)[n, Y[n]], computed
 * with logSoftmax so large logits neither overflow nor underflow.
 * logits: [N, V], Y: [N] int32 → []
 */
export function nllLoss(logits: tf.Tensor2D, Y: tf.Tensor1D): tf.Scalar {
  // TODO(02.nll-loss): write nllLoss — notebooks/02-mlp.ipynb, section "5. The loss" explains it.
  throw new NotImplementedError("02.nll-loss", "exercises/02-mlp.ts", "nllLoss", "notebooks/02-mlp.ipynb, section \"5. The loss\"");
}

/**
 * One step of gradient descent on a minibatch: the loss of mlpLogits on (X, Y), its gradients
 * with respect to the five parameters, one update by `optimizer`. Returns the loss before the
 * update, as a number; leaves no tensors behind.
 */
export function trainStep(params: MlpParams, X: tf.Tensor2D, Y: tf.Tensor1D, optimizer: tf.Optimizer): number {
  // TODO(02.train-step): write trainStep — notebooks/02-mlp.ipynb, section "6. Training by hand" explains it.
  throw new NotImplementedError("02.train-step", "exercises/02-mlp.ts", "trainStep", "notebooks/02-mlp.ipynb, section \"6. Training by hand\"");
}
