/**
 * The bigram model of lesson 01 as a trainable LanguageModel: a V×V table of logits, row a
 * holding the scores of the token after a. Trained by gradient descent it converges to the
 * smoothed counts of lesson 01 (makemore's "bigram" rung of the ladder).
 */
import type { Rng } from "../random";
import { tf } from "../tf";
import { normals, trainable } from "./init";
import type { LanguageModel } from "./model";

export class BigramLM implements LanguageModel {
  readonly name = "bigram";
  readonly blockSize = 1;
  readonly variables: tf.Variable[];
  private readonly table: tf.Variable; // [V, V]

  constructor(readonly vocabSize: number, rng: Rng) {
    this.table = trainable(tf.tensor2d(normals(rng, vocabSize * vocabSize, 0.01), [vocabSize, vocabSize]));
    this.variables = [this.table];
  }

  logits(idx: tf.Tensor2D): tf.Tensor3D {
    return tf.tidy(() => tf.gather(this.table, idx) as tf.Tensor3D); // [B, T] → [B, T, V]
  }
}
