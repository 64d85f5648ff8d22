// Exercise file generated from solutions/01-bigram.ts by `npm run exercises`.
// Replace each TODO + throw with your code; `npm run grade` checks it. The generator never
// overwrites this file once you have changed it.
/**
 * Lesson 01 — counting text: a character bigram language model of names.
 */
import { NotImplementedError, tf, CharVocab, CourseError, Rng } from "@course/lib";

/**
 * N[a, b] = how often character b follows character a, over every word wrapped in boundary
 * tokens (".emma." gives .e em mm ma a.).  → [V, V] int32
 */
export function bigramCounts(words: readonly string[], vocab: CharVocab): tf.Tensor2D {
  // TODO(01.bigram-counts): write bigramCounts — notebooks/01-bigram.ipynb, section "2. Counting pairs" explains it.
  throw new NotImplementedError("01.bigram-counts", "exercises/01-bigram.ts", "bigramCounts", "notebooks/01-bigram.ipynb, section \"2. Counting pairs\"");
}

/**
 * Rows of P = (N + α) / row sums: P[a, b] estimates p(next = b | current = a). α > 0 is add-α
 * smoothing, so no pair has probability 0.  [V, V] int32 → [V, V] float32
 */
export function bigramProbs(counts: tf.Tensor2D, alpha: number): tf.Tensor2D {
  // TODO(01.bigram-probs): write bigramProbs — notebooks/01-bigram.ipynb, section "3. From counts to probabilities" explains it.
  throw new NotImplementedError("01.bigram-probs", "exercises/01-bigram.ts", "bigramProbs", "notebooks/01-bigram.ipynb, section \"3. From counts to probabilities\"");
}

/**
 * Temperature T reshapes a distribution: p_i^(1/T), renormalised. T < 1 sharpens it, T > 1
 * flattens it, T = 1 leaves it alone.  [V] → [V]
 */
export function applyTemperature(probs: tf.Tensor1D, temperature: number): tf.Tensor1D {
  // TODO(01.temperature): write applyTemperature — notebooks/01-bigram.ipynb, section "4. Sampling names, and temperature" explains it.
  throw new NotImplementedError("01.temperature", "exercises/01-bigram.ts", "applyTemperature", "notebooks/01-bigram.ipynb, section \"4. Sampling names, and temperature\"");
}

/**
 * Generate one name: start at the boundary, repeatedly draw the next character from row
 * P[current] (after temperature) with `rng.categorical`, stop at the boundary or after
 * `maxLength` characters.
 */
export function sampleName(
  P: tf.Tensor2D,
  vocab: CharVocab,
  rng: Rng,
  temperature = 1,
  maxLength = 40,
): string {
  // TODO(01.sample-name): write sampleName — notebooks/01-bigram.ipynb, section "4. Sampling names, and temperature" explains it.
  throw new NotImplementedError("01.sample-name", "exercises/01-bigram.ts", "sampleName", "notebooks/01-bigram.ipynb, section \"4. Sampling names, and temperature\"");
}

/**
 * Average negative log-likelihood per predicted character, −(1/n) Σ log P[a, b], over every pair
 * of every word wrapped in boundaries (the end token counts as a prediction).  → number (nats)
 */
export function meanNll(P: tf.Tensor2D, words: readonly string[], vocab: CharVocab): number {
  // TODO(01.nll): write meanNll — notebooks/01-bigram.ipynb, section "5. How good is the model? Likelihood" explains it.
  throw new NotImplementedError("01.nll", "exercises/01-bigram.ts", "meanNll", "notebooks/01-bigram.ipynb, section \"5. How good is the model? Likelihood\"");
}
