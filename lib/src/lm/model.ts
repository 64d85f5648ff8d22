/**
 * The language-model interface every lesson's model implements — bigram, MLP, LSTM, GPT — so a
 * lesson swaps the model and keeps the data, trainer, sampler and evaluation (as in makemore).
 */
import type { Params } from "../nn/params";
import { tf } from "../tf";

export interface LanguageModel {
  /** Short name for tables and logs: "bigram", "mlp", "lstm", "gpt". */
  readonly name: string;
  /** How many previous tokens the model can look at (its context length). */
  readonly blockSize: number;
  /** Number of token ids (V). */
  readonly vocabSize: number;
  /**
   * The weights by dotted name, in creation order: what a checkpoint saves (`saveCheckpoint`).
   * Every course model has one; a stand-in built for a test or a probe may leave it out.
   */
  readonly store?: Params;
  /** Everything the optimiser updates: the store's variables, in the same order. */
  readonly variables: readonly tf.Variable[];
  /**
   * Next-token logits at every position: row t predicts token t + 1 from tokens ≤ t.
   * idx: [B, T] int32 with T ≤ blockSize → [B, T, V]
   */
  logits(idx: tf.Tensor2D, options?: { training?: boolean }): tf.Tensor3D;
}

/** Number of trainable numbers in a model. */
export function parameterCount(model: LanguageModel): number {
  return model.variables.reduce((n, v) => n + v.size, 0);
}
