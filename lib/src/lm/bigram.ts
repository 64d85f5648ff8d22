/**
 * The bigram model of lesson 01 as a trainable LanguageModel: a V×V table of logits, row a
 * holding the scores of the token after a. Trained by gradient descent it converges to the
 * smoothed counts of lesson 01 (makemore's "bigram" rung of the ladder).
 */
import type { Rng } from "../random";
import { tf } from "../setup";
import type { LanguageModel } from "./model";

export class BigramLM implements LanguageModel {
  readonly name = "bigram";
  readonly blockSize = 1;
  readonly variables: tf.Variable[];
  private readonly table: tf.Variable; // [V, V]

  constructor(readonly vocabSize: number, rng: Rng) {
    const init = Float32Array.from({ length: vocabSize * vocabSize }, () => 0.01 * rng.normal());
    const start = tf.tensor2d(init, [vocabSize, vocabSize]);
    this.table = tf.variable(start, true); // unnamed: a notebook cell may build it again
    start.dispose();
    this.variables = [this.table];
  }

  logits(idx: tf.Tensor2D): tf.Tensor3D {
    return tf.tidy(() => tf.gather(this.table, idx) as tf.Tensor3D); // [B, T] → [B, T, V]
  }
}
