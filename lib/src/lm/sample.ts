/**
 * Seeded sampling from a language model: temperature, top-k and top-p (nucleus) live here, once,
 * for every lesson.
 */
import { CourseError } from "../errors";
import { Rng } from "../random";
import { tf } from "../tf";
import type { LanguageModel } from "./model";

export interface SampleOptions {
  /** Divide logits by T before softmax: < 1 sharper, > 1 flatter (default 1). */
  temperature?: number;
  /** Keep only the k most likely tokens (default: all). */
  topK?: number;
  /** Keep the smallest set of tokens whose probability adds up to ≥ p (default 1: all). */
  topP?: number;
}

/** The distribution to draw from after temperature, top-k and top-p, as probabilities. */
export function filteredProbs(logits: ArrayLike<number>, options: SampleOptions = {}): Float64Array {
  const { temperature = 1, topK, topP = 1 } = options;
  if (!(temperature > 0)) throw new CourseError(`temperature must be > 0, got ${temperature}.`);
  if (topK !== undefined && !(Number.isInteger(topK) && topK >= 1)) throw new CourseError(`topK must be an integer ≥ 1, got ${topK}.`);
  if (!(topP > 0 && topP <= 1)) throw new CourseError(`topP must be in (0, 1], got ${topP}.`);
  const n = logits.length, scaled = new Float64Array(n);
  let max = -Infinity;
  for (let i = 0; i < n; i++) { scaled[i] = (logits[i] as number) / temperature; max = Math.max(max, scaled[i] as number); }
  const probs = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) { probs[i] = Math.exp((scaled[i] as number) - max); total += probs[i] as number; }
  for (let i = 0; i < n; i++) probs[i] = (probs[i] as number) / total;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (probs[b] as number) - (probs[a] as number) || a - b);
  const keep = new Uint8Array(n);
  let mass = 0;
  for (let r = 0; r < n; r++) {
    const i = order[r] as number;
    if (topK !== undefined && r >= topK) break;
    if (r > 0 && mass >= topP) break; // the most likely token always stays
    keep[i] = 1;
    mass += probs[i] as number;
  }
  for (let i = 0; i < n; i++) if (!keep[i]) probs[i] = 0;
  return probs;
}

/** Draw one token id from logits with the options above. */
export function sampleToken(logits: ArrayLike<number>, rng: Rng, options: SampleOptions = {}): number {
  return rng.categorical(filteredProbs(logits, options));
}

export interface GenerateOptions extends SampleOptions {
  /** How many tokens to add. */
  maxNewTokens: number;
  /** Stop early when this token is drawn (it is not included). */
  stopToken?: number;
}

/**
 * Extend `context` token by token: crop to the last blockSize tokens, take the logits of the last
 * position, draw. Returns only the new tokens.
 */
export function generate(model: LanguageModel, context: readonly number[], rng: Rng, options: GenerateOptions): number[] {
  if (context.length === 0) throw new CourseError("generate() needs at least one context token (e.g. the start token 0).");
  const tokens = [...context], out: number[] = [];
  for (let i = 0; i < options.maxNewTokens; i++) {
    const window = tokens.slice(-model.blockSize);
    const last = tf.tidy(() => {
      const idx = tf.tensor2d([window], [1, window.length], "int32"); // [1, T]
      const logits = model.logits(idx); // [1, T, V]
      return logits.slice([0, window.length - 1, 0], [1, 1, model.vocabSize]).dataSync();
    });
    const next = sampleToken(last, rng, options);
    if (next === options.stopToken) break;
    tokens.push(next);
    out.push(next);
  }
  return out;
}
