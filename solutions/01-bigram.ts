/**
 * Lesson 01 — counting text: a character bigram language model of names.
 */
import { tf, CharVocab, CourseError, Rng } from "@course/lib";

/**
 * N[a, b] = how often character b follows character a, over every word wrapped in boundary
 * tokens (".emma." gives .e em mm ma a.).  → [V, V] int32
 */
export function bigramCounts(words: readonly string[], vocab: CharVocab): tf.Tensor2D {
  // BEGIN SOLUTION exercise=01.bigram-counts section="2. Counting pairs"
  const V = vocab.size;
  const counts = new Int32Array(V * V);
  for (const word of words) {
    const ids = [0, ...vocab.encode(word), 0];
    for (let i = 0; i + 1 < ids.length; i++) counts[(ids[i] as number) * V + (ids[i + 1] as number)]++;
  }
  return tf.tensor2d(counts, [V, V], "int32");
  // END SOLUTION
}

/**
 * Rows of P = (N + α) / row sums: P[a, b] estimates p(next = b | current = a). α > 0 is add-α
 * smoothing, so no pair has probability 0.  [V, V] int32 → [V, V] float32
 */
export function bigramProbs(counts: tf.Tensor2D, alpha: number): tf.Tensor2D {
  // BEGIN SOLUTION exercise=01.bigram-probs section="3. From counts to probabilities"
  return tf.tidy(() => {
    const smoothed = counts.toFloat().add(alpha); // [V, V]
    return smoothed.div(smoothed.sum(1, true)); // [V, V] / [V, 1]
  });
  // END SOLUTION
}

/**
 * Temperature T reshapes a distribution: p_i^(1/T), renormalised. T < 1 sharpens it, T > 1
 * flattens it, T = 1 leaves it alone.  [V] → [V]
 */
export function applyTemperature(probs: tf.Tensor1D, temperature: number): tf.Tensor1D {
  // BEGIN SOLUTION exercise=01.temperature section="4. Sampling names, and temperature"
  if (!(temperature > 0)) {
    throw new CourseError(`temperature must be > 0, got ${temperature}.`);
  }
  // softmax(log p / T) = p^(1/T) / Σ p^(1/T), computed in log space so small p do not underflow.
  return tf.tidy(() => tf.softmax(tf.log(probs).div(temperature)) as tf.Tensor1D);
  // END SOLUTION
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
  // BEGIN SOLUTION exercise=01.sample-name section="4. Sampling names, and temperature"
  const ids: number[] = [];
  let current = 0;
  while (ids.length < maxLength) {
    const probs = tf.tidy(() =>
      applyTemperature(P.gather([current]).reshape([-1]) as tf.Tensor1D, temperature).dataSync(),
    );
    current = rng.categorical(probs);
    if (current === 0) break;
    ids.push(current);
  }
  return vocab.decode(ids);
  // END SOLUTION
}

/**
 * Average negative log-likelihood per predicted character, −(1/n) Σ log P[a, b], over every pair
 * of every word wrapped in boundaries (the end token counts as a prediction).  → number (nats)
 */
export function meanNll(P: tf.Tensor2D, words: readonly string[], vocab: CharVocab): number {
  // BEGIN SOLUTION exercise=01.nll section="5. How good is the model? Likelihood"
  const pairs: [number, number][] = [];
  for (const word of words) {
    const ids = [0, ...vocab.encode(word), 0];
    for (let i = 0; i + 1 < ids.length; i++) pairs.push([ids[i] as number, ids[i + 1] as number]);
  }
  return tf.tidy(() => {
    const p = tf.gatherND(P, tf.tensor2d(pairs, [pairs.length, 2], "int32")); // [n]
    return tf.log(p).mean().neg().dataSync()[0] as number;
  });
  // END SOLUTION
}
