/**
 * Sampling and scoring for the LSTM on running text (lesson 03): generation that feeds one
 * character at a time and carries the state, the exact loss over a whole token sequence, and
 * lesson 01's counting bigram on the same tokens for comparison.
 */
import { CourseError } from "../errors";
import type { Rng } from "../random";
import { tf } from "../tf";
import type { CharVocab } from "../text/vocab";
import { crossEntropy } from "./loss";
import type { LstmLM } from "./lstm";
import type { LstmState } from "./lstm-layers";
import { sampleToken, type SampleOptions } from "./sample";

/** Token ids of running text (every character must be in the vocabulary). */
export function charTokens(text: string, vocab: CharVocab): Int32Array {
  return Int32Array.from([...text], (c) => vocab.id(c));
}

/**
 * Continue `context` by `maxNewTokens` tokens: run the context through the model from a zero
 * state, then draw a token from the last logits, feed it in as a one-token batch, carry the
 * state, and repeat — O(1) work per token, however long the text grows. Returns the new tokens.
 */
export function generateLstm(model: LstmLM, context: readonly number[], rng: Rng, options: SampleOptions & { maxNewTokens: number }): number[] {
  if (context.length === 0) throw new CourseError("generateLstm() needs at least one context token.");
  const out: number[] = [];
  let input = [...context];
  let state: LstmState | undefined;
  for (let i = 0; i < options.maxNewTokens; i++) {
    const { last, next } = tf.tidy(() => {
      const r = model.run(tf.tensor2d([input], [1, input.length], "int32"), state); // [1, T, V]
      const logits = r.logits.slice([0, input.length - 1, 0], [1, 1, model.vocabSize]).dataSync(); // [V]
      return { last: logits, next: { h: tf.keep(r.state.h), c: tf.keep(r.state.c) } };
    });
    if (state) tf.dispose([state.h, state.c]);
    state = next;
    const token = sampleToken(last, rng, options);
    out.push(token);
    input = [token];
  }
  if (state) tf.dispose([state.h, state.c]);
  return out;
}

/**
 * Exact mean NLL (nats per token) of predicting tokens[1 … n−1] from the tokens before them.
 * The n − 1 predictions are cut into `batchSize` contiguous segments read side by side, `chunk`
 * positions at a time with the state carried; each segment starts from a zero state, so only its
 * first characters see less context than the text holds.
 */
export async function streamNll(model: LstmLM, tokens: Int32Array, batchSize = 16, chunk = 256): Promise<number> {
  const count = tokens.length - 1;
  if (count < 1) throw new CourseError("streamNll() needs at least two tokens.");
  const L = Math.ceil(count / batchSize); // predictions per segment
  let total = 0;
  let state: LstmState | undefined;
  for (let t0 = 0; t0 < L; t0 += chunk) {
    const T = Math.min(chunk, L - t0);
    const x = new Int32Array(batchSize * T), y = new Int32Array(batchSize * T).fill(-1); // −1: padding
    let scored = 0;
    for (let b = 0; b < batchSize; b++) {
      for (let j = 0; j < T; j++) {
        const i = b * L + t0 + j; // index of the prediction: input tokens[i], target tokens[i + 1]
        if (i < count && t0 + j < L) { x[b * T + j] = tokens[i] as number; y[b * T + j] = tokens[i + 1] as number; scored++; }
      }
    }
    const { loss, next } = tf.tidy(() => {
      const r = model.run(tf.tensor2d(x, [batchSize, T], "int32"), state);
      const ce = crossEntropy(r.logits, tf.tensor2d(y, [batchSize, T], "int32"));
      return { loss: ce, next: { h: tf.keep(r.state.h), c: tf.keep(r.state.c) } };
    });
    if (state) tf.dispose([state.h, state.c]);
    state = next;
    if (scored > 0) total += ((await loss.data())[0] as number) * scored;
    loss.dispose();
  }
  if (state) tf.dispose([state.h, state.c]);
  return total / count;
}

/**
 * Lesson 01's model on running text: count the pairs (a, b) of `train`, add `alpha` to every
 * count, and return the mean NLL (nats) of every pair of `val`.
 */
export function bigramCountsNll(train: Int32Array, val: Int32Array, vocabSize: number, alpha = 1): number {
  const V = vocabSize;
  const counts = new Float64Array(V * V).fill(alpha);
  for (let i = 0; i + 1 < train.length; i++) counts[(train[i] as number) * V + (train[i + 1] as number)]! += 1;
  const rowSums = new Float64Array(V);
  for (let a = 0; a < V; a++) for (let b = 0; b < V; b++) rowSums[a]! += counts[a * V + b] as number;
  let nll = 0;
  for (let i = 0; i + 1 < val.length; i++) {
    const a = val[i] as number, b = val[i + 1] as number;
    nll -= Math.log((counts[a * V + b] as number) / (rowSums[a] as number));
  }
  return nll / (val.length - 1);
}

/** Nats per character to bits per character: bpc = nats / ln 2. */
export function bitsPerChar(nats: number): number {
  return nats / Math.LN2;
}
