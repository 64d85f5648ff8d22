/**
 * Many continuations at once: every row of a batch of equally long prompts is extended token by
 * token with one forward pass of the whole batch per step (lm/sample.ts's `generate` does one
 * prompt). Draws may be watermarked (watermark.ts), or greedy for the extraction test. The
 * model's own negative log-likelihood of every chosen token, before any watermark bias, is kept:
 * it is the quality cost of the watermark.
 */
import { CourseError } from "../errors";
import type { LanguageModel } from "../lm/model";
import { filteredProbs } from "../lm/sample";
import type { Rng } from "../random";
import { tf } from "../tf";
import { type WatermarkConfig, watermarkLogits } from "./watermark";

export interface BatchGenerateOptions {
  /** Tokens to add to every prompt. */
  maxNewTokens: number;
  /** Softmax temperature of the draws (default 1). */
  temperature?: number;
  /** Take the most likely token instead of drawing (ties: the lowest id). */
  greedy?: boolean;
  /** Bias the draws with this green-list watermark. */
  watermark?: WatermarkConfig;
  /** Read at most this many previous tokens (default and maximum: the model's blockSize); fewer is faster. */
  contextLength?: number;
}

export interface BatchContinuations {
  /** The new tokens of each prompt.  [B][maxNewTokens] */
  tokens: number[][];
  /** Mean −log p(token) per new token of each row under the unbiased model at temperature 1, in nats. */
  nll: Float64Array;
}

/** Logits of the last position of every row.  windows: B rows of T ids → B arrays of V */
function lastLogits(model: LanguageModel, windows: number[][]): Float32Array[] {
  const B = windows.length, T = windows[0]!.length, V = model.vocabSize;
  const flat = tf.tidy(() => {
    const idx = tf.tensor2d(windows.flat(), [B, T], "int32"); //                 [B, T]
    return model.logits(idx).slice([0, T - 1, 0], [B, 1, V]).dataSync() as Float32Array; // [B, 1, V]
  });
  return Array.from({ length: B }, (_, b) => flat.subarray(b * V, (b + 1) * V));
}

/** −log softmax(logits)[id], computed stably. */
export function tokenNll(logits: ArrayLike<number>, id: number): number {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]!);
  let total = 0;
  for (let i = 0; i < logits.length; i++) total += Math.exp(logits[i]! - max);
  return Math.log(total) + max - logits[id]!;
}

/** Index of the largest value (the first on ties). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

/**
 * Extend every prompt by `maxNewTokens` tokens; rows never read each other. The tokens are drawn
 * from `rng` (e.g. `streams.sample`); greedy decoding draws nothing and takes `null`.
 */
export function generateBatch(
  model: LanguageModel, prompts: readonly (readonly number[])[], rng: Rng | null, options: BatchGenerateOptions,
): BatchContinuations {
  if (!rng && !options.greedy) {
    throw new CourseError("generateBatch() draws its tokens from `rng`: pass one (e.g. streams.sample), or set greedy: true.");
  }
  const length = prompts[0]?.length ?? 0;
  if (length === 0 || prompts.some((p) => p.length !== length)) {
    throw new CourseError(`generateBatch() needs equally long, non-empty prompts; got lengths ${[...new Set(prompts.map((p) => p.length))].join(", ")}.`);
  }
  const rows = prompts.map((p) => [...p]), out: number[][] = prompts.map(() => []);
  const nll = new Float64Array(prompts.length);
  const context = Math.min(options.contextLength ?? model.blockSize, model.blockSize);
  for (let step = 0; step < options.maxNewTokens; step++) {
    const logits = lastLogits(model, rows.map((r) => r.slice(-context)));
    logits.forEach((l, b) => {
      const row = rows[b]!, prev = row[row.length - 1]!;
      const biased = options.watermark ? watermarkLogits(l, prev, options.watermark) : l;
      const next = options.greedy || !rng ? argmax(biased) : rng.categorical(filteredProbs(biased, { temperature: options.temperature ?? 1 }));
      nll[b] = nll[b]! + tokenNll(l, next);
      row.push(next);
      out[b]!.push(next);
    });
  }
  return { tokens: out, nll: nll.map((v) => v / Math.max(options.maxNewTokens, 1)) };
}
