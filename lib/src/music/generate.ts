/**
 * Generating chorales: the same loop for a network (any LanguageModel) and for the counting
 * n-gram. Rows of a batch are extended side by side, four tokens (one step) at a time. Only a
 * voice's tokens (REST, HOLD or a pitch) may be drawn: BOS and key tokens belong to the header, so they
 * are masked out — the same rule for every model, so the comparison stays fair.
 */
import { CourseError } from "../errors";
import type { Rng } from "../random";
import { tf } from "../tf";
import type { Chorale } from "../data/jsbChorales";
import type { LanguageModel } from "../lm/model";
import { sampleToken, type SampleOptions } from "../lm/sample";
import type { NGramLM } from "./ngram";
import { KEY_OFFSET, REST, VOICES, decodeChorale, encodeChorale, headerTokens, keyedWindow, type Key } from "./tokens";

/** Next-token log-scores (logits or log-probabilities), one array of V per context row. */
export type NextScores = (contexts: readonly number[][]) => ArrayLike<number>[];

/**
 * A network's scores: one forward pass per row over its header step and as many of its latest
 * whole steps as fit in blockSize, cut by `keyedWindow` as in training (rows of equal length,
 * header first).
 */
export function modelScores(model: LanguageModel): NextScores {
  return (contexts) => {
    const B = contexts.length, V = model.vocabSize, n = contexts[0]!.length;
    if (contexts.some((c) => c.length !== n)) throw new CourseError("modelScores: every row must have the same length.");
    // Keep the header, drop whole steps from the front until the row fits, write out the first step.
    const drop = n <= model.blockSize ? 0 : VOICES * Math.ceil((n - model.blockSize) / VOICES);
    const window = (c: readonly number[]) => (drop === 0 ? c : keyedWindow(c, VOICES + drop, n - VOICES - drop));
    const T = n - drop;
    const flat = tf.tidy(() => {
      const idx = tf.tensor2d(contexts.flatMap(window), [B, T], "int32"); // [B, T]
      return model.logits(idx).slice([0, T - 1, 0], [B, 1, V]).dataSync(); // [B, 1, V]
    });
    return Array.from({ length: B }, (_, b) => flat.subarray(b * V, (b + 1) * V));
  };
}

/** The n-gram's log-probabilities after each row. */
export function ngramScores(ngram: NGramLM): NextScores {
  return (contexts) => contexts.map((c) => Array.from(ngram.probs(c.slice(Math.max(0, c.length - ngram.order + 1))), Math.log));
}

/** Add `steps` steps (4 tokens each) to every row of `prompts`; returns the rows, prompts included. */
export function extendRows(scores: NextScores, prompts: readonly number[][], steps: number, rng: Rng, options: SampleOptions = {}): number[][] {
  const rows = prompts.map((p) => [...p]);
  for (let i = 0; i < steps * VOICES; i++) {
    const next = scores(rows);
    rows.forEach((row, b) => {
      const s = Float64Array.from(next[b]!);
      for (let v = 0; v < s.length; v++) if (v < REST || v >= KEY_OFFSET) s[v] = -Infinity; // voices only
      row.push(sampleToken(s, rng, options));
    });
  }
  return rows;
}

/** One chorale per key: `steps` steps after the header of that key. */
export function generateInKeys(scores: NextScores, keys: readonly Key[], steps: number, rng: Rng, options: SampleOptions = {}): Chorale[] {
  return extendRows(scores, keys.map(headerTokens), steps, rng, options).map((r) => decodeChorale(r).chorale);
}

/** Continue each opening (its header says `keys[i]`) by `steps` steps; returns only the continuations. */
export function continueOpenings(scores: NextScores, openings: readonly Chorale[], keys: readonly Key[], steps: number, rng: Rng, options: SampleOptions = {}): Chorale[] {
  const prompts = openings.map((o, i) => encodeChorale(o, keys[i]!));
  return extendRows(scores, prompts, steps, rng, options).map((r, i) => decodeChorale(r).chorale.slice(openings[i]!.length));
}
