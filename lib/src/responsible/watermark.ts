/**
 * A green-list watermark for language models (Kirchenbauer et al. 2023, "A Watermark for Large
 * Language Models", algorithm 2, "soft" red list). Before each token is drawn, the previous token
 * and a secret key seed a random partition of the vocabulary: a fraction γ is "green" and gets δ
 * added to its logit. Text written this way holds more green tokens than chance; whoever knows
 * the key counts them and runs a one-proportion z-test (their eq. 2):
 *
 *   z = (|s|_G − γT) / √(T γ (1 − γ))
 *
 * Human text knows nothing of the key, so its green count is about γT and z stays small.
 */
import { CourseError } from "../errors";
import { Rng } from "../random";

export interface WatermarkConfig {
  /** The secret key (an integer); detection needs the same one. */
  key: number;
  /** Fraction of the vocabulary that is green after each token (γ). */
  gamma: number;
  /** What is added to a green token's logit before sampling (δ). */
  delta: number;
}

/** The paper's defaults for γ and δ, and its detection threshold. */
export const WATERMARK_DEFAULTS = { gamma: 0.25, delta: 2 } as const;
export const WATERMARK_Z_THRESHOLD = 4;

/** A 32-bit seed from the key and the previous token (two rounds of a multiply-xorshift mix). */
export function greenListSeed(key: number, prev: number): number {
  let h = Math.imul((key | 0) ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ (prev | 0), 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h ^ Math.imul(prev | 0, 0x27d4eb2f), 0x165667b1);
  return (h ^ (h >>> 15)) >>> 0;
}

/** How many of `vocabSize` ids are green: round(γ·V), at least 1 and at most V − 1. */
export function greenSize(vocabSize: number, gamma: number): number {
  if (!(gamma > 0 && gamma < 1)) throw new CourseError(`gamma must be in (0, 1), got ${gamma}.`);
  if (!(Number.isInteger(vocabSize) && vocabSize >= 2)) throw new CourseError(`vocabSize must be an integer ≥ 2, got ${vocabSize}.`);
  return Math.min(vocabSize - 1, Math.max(1, Math.round(gamma * vocabSize)));
}

/**
 * The green list after token `prev`: 1 for green ids, 0 for red. The ids are shuffled by an Rng
 * seeded with greenListSeed(key, prev); the first greenSize(V, γ) of the shuffle are green.
 */
export function greenList(prev: number, vocabSize: number, key: number, gamma: number): Uint8Array {
  const green = greenSize(vocabSize, gamma); // checks γ and V once, before the shuffle (generation calls this per token)
  const ids = new Rng(greenListSeed(key, prev)).shuffle(Array.from({ length: vocabSize }, (_, i) => i));
  const mask = new Uint8Array(vocabSize);
  for (const id of ids.slice(0, green)) mask[id] = 1;
  return mask;
}

/** z = (green − γT) / √(T γ (1 − γ)): how many standard deviations above chance the green count is. */
export function watermarkZ(green: number, scored: number, gamma: number): number {
  if (!(scored > 0)) throw new CourseError(`watermarkZ(): need at least one scored token, got T = ${scored}.`);
  return (green - gamma * scored) / Math.sqrt(scored * gamma * (1 - gamma));
}

export interface WatermarkScore {
  /** Tokens that were green after their predecessor (|s|_G). */
  green: number;
  /** Tokens scored (T). */
  scored: number;
  /** The z statistic with γ equal to the green lists' real fraction greenSize / V. */
  z: number;
}

/**
 * Count green tokens in `tokens` (tokens[0] only serves as the first predecessor) and run the
 * z-test. With `ignoreRepeats`, a (previous, token) pair is scored only the first time it occurs:
 * in a character-level text the same pairs ("th", "he") recur so often that counting each
 * occurrence makes human text's z wander far wider than the binomial's.
 */
export function detectWatermark(
  tokens: readonly number[], vocabSize: number, config: Pick<WatermarkConfig, "key" | "gamma">, ignoreRepeats = true,
): WatermarkScore {
  const seen = new Set<number>(), lists = new Map<number, Uint8Array>();
  let green = 0, scored = 0;
  for (let t = 1; t < tokens.length; t++) {
    const prev = tokens[t - 1]!, tok = tokens[t]!;
    if (ignoreRepeats) {
      const pair = prev * vocabSize + tok;
      if (seen.has(pair)) continue;
      seen.add(pair);
    }
    let list = lists.get(prev);
    if (!list) lists.set(prev, (list = greenList(prev, vocabSize, config.key, config.gamma)));
    green += list[tok]!;
    scored++;
  }
  const gamma = greenSize(vocabSize, config.gamma) / vocabSize;
  return { green, scored, z: scored > 0 ? watermarkZ(green, scored, gamma) : 0 };
}

/** Logits with δ added to the green ids after `prev` (a new array). */
export function watermarkLogits(logits: ArrayLike<number>, prev: number, config: WatermarkConfig): Float64Array {
  const mask = greenList(prev, logits.length, config.key, config.gamma);
  return Float64Array.from(logits, (l, i) => l + config.delta * mask[i]!);
}

/**
 * An editing attack: a fraction of the positions (chosen by `rng`, never position 0, which is
 * the prompt's last token) replaced by a different id drawn from `alphabet`.
 */
export function editTokens(tokens: readonly number[], fraction: number, alphabet: readonly number[], rng: Rng): number[] {
  if (!(fraction >= 0 && fraction <= 1)) throw new CourseError(`editTokens(): fraction must be in [0, 1], got ${fraction}.`);
  if (alphabet.length < 2) throw new CourseError("editTokens(): the alphabet needs at least two ids.");
  const out = [...tokens];
  const positions = rng.shuffle(Array.from({ length: tokens.length - 1 }, (_, i) => i + 1));
  for (const p of positions.slice(0, Math.round(fraction * (tokens.length - 1)))) {
    let id = out[p]!;
    while (id === out[p]) id = alphabet[rng.int(alphabet.length)]!;
    out[p] = id;
  }
  return out;
}
