// Generated from solutions/01-bigram.ts by `npm run exercises`: the types `lesson("01")` returns. Do not edit.
/**
 * Lesson 01 — counting text: a character bigram language model of names.
 */
import type { tf, CharVocab, Rng } from "../index";
/**
 * N[a, b] = how often character b follows character a, over every word wrapped in boundary
 * tokens (".emma." gives .e em mm ma a.).  → [V, V] int32
 */
export declare function bigramCounts(words: readonly string[], vocab: CharVocab): tf.Tensor2D;
/**
 * Rows of P = (N + α) / row sums: P[a, b] estimates p(next = b | current = a). α > 0 is add-α
 * smoothing, so no pair has probability 0.  [V, V] int32 → [V, V] float32
 */
export declare function bigramProbs(counts: tf.Tensor2D, alpha: number): tf.Tensor2D;
/**
 * Temperature T reshapes a distribution: p_i^(1/T), renormalised. T < 1 sharpens it, T > 1
 * flattens it, T = 1 leaves it alone.  [V] → [V]
 */
export declare function applyTemperature(probs: tf.Tensor1D, temperature: number): tf.Tensor1D;
/**
 * Generate one name: start at the boundary, repeatedly draw the next character from row
 * P[current] (after temperature) with `rng.categorical`, stop at the boundary or after
 * `maxLength` characters.
 */
export declare function sampleName(P: tf.Tensor2D, vocab: CharVocab, rng: Rng, temperature?: number, maxLength?: number): string;
/**
 * Average negative log-likelihood per predicted character, −(1/n) Σ log P[a, b], over every pair
 * of every word wrapped in boundaries (the end token counts as a prediction).  → number (nats)
 */
export declare function meanNll(P: tf.Tensor2D, words: readonly string[], vocab: CharVocab): number;
