/**
 * The bigram model of lesson 01 as a trainable LanguageModel: a V×V table of logits, row a
 * holding the scores of the token after a. Trained by gradient descent it converges to the
 * smoothed counts of lesson 01 (makemore's "bigram" rung of the ladder).
 */
import { Params } from "../nn/params";
import type { Rng } from "../random";
import { tf } from "../tf";
import type { LanguageModel } from "./model";

export class BigramLM implements LanguageModel {
  readonly name = "bigram";
  readonly blockSize = 1;
  /** One variable, "table". */
  readonly store: Params;
  readonly variables: tf.Variable[];
  private readonly table: tf.Variable; // [V, V]

  constructor(readonly vocabSize: number, rng: Rng) {
    this.store = new Params(rng);
    this.table = this.store.normal("table", [vocabSize, vocabSize], 0.01);
    this.variables = this.store.vars;
  }

  logits(idx: tf.Tensor2D): tf.Tensor3D {
    return tf.tidy(() => tf.gather(this.table, idx) as tf.Tensor3D); // [B, T] → [B, T, V]
  }

  /** Free the parameters' memory. */
  dispose(): void {
    this.store.dispose();
  }
}
