/**
 * Carlini et al.'s extraction test in miniature ("Extracting Training Data from Large Language
 * Models", 2021; "Quantifying Memorization Across Neural Language Models", 2023): prompt the
 * model with a prefix taken from a text and count it as extracted when the greedy continuation
 * reproduces the text's next `suffixLength` tokens exactly. Run on training-set prefixes and on
 * validation prefixes: a model that memorised its data extracts far more of the former.
 */
import { CourseError } from "../errors";
import type { LanguageModel } from "../lm/model";
import type { Rng } from "../random";
import { generateBatch } from "./generate-batch";

/** True when `continuation` starts with all of `truth`'s tokens, in order. */
export function isExtracted(continuation: readonly number[], truth: readonly number[]): boolean {
  if (continuation.length < truth.length) return false;
  for (let i = 0; i < truth.length; i++) if (continuation[i] !== truth[i]) return false;
  return true;
}

/** Fraction of continuations that reproduce their truth exactly. */
export function extractionRate(continuations: readonly (readonly number[])[], truths: readonly (readonly number[])[]): number {
  if (continuations.length !== truths.length || truths.length === 0) {
    throw new CourseError(`extractionRate(): need as many continuations as truths (≥ 1), got ${continuations.length} and ${truths.length}.`);
  }
  return continuations.filter((c, i) => isExtracted(c, truths[i]!)).length / truths.length;
}

export interface ExtractionResult {
  /** Fraction of prompts whose greedy continuation is the text's next suffixLength tokens. */
  rate: number;
  /** Mean number of leading continuation tokens that match the text (0…suffixLength). */
  meanMatched: number;
  /** Prompts tried. */
  prompts: number;
}

/**
 * `count` positions where a prefix + suffix window fits in a text of `length` tokens, drawn from
 * `rng` (which windows a measurement reads: `streams.eval`).
 */
export function windowStarts(length: number, window: number, count: number, rng: Rng): number[] {
  if (length < window) throw new CourseError(`windowStarts(): the text (${length} tokens) is shorter than one window (${window}).`);
  return Array.from({ length: count }, () => rng.int(length - window + 1));
}

/** Leading tokens of `a` equal to `b`'s. */
function matchedPrefix(a: readonly number[], b: readonly number[]): number {
  let n = 0;
  while (n < b.length && a[n] === b[n]) n++;
  return n;
}

/** The extraction test on `starts` of `tokens`, in batches of `batchSize` prompts. */
export function extractionTest(
  model: LanguageModel, tokens: Int32Array, starts: readonly number[], prefixLength: number, suffixLength = 50, batchSize = 64,
): ExtractionResult {
  let hits = 0, matched = 0;
  for (let i = 0; i < starts.length; i += batchSize) {
    const chunk = starts.slice(i, i + batchSize);
    const prompts = chunk.map((s) => Array.from(tokens.subarray(s, s + prefixLength)));
    const truths = chunk.map((s) => Array.from(tokens.subarray(s + prefixLength, s + prefixLength + suffixLength)));
    const { tokens: out } = generateBatch(model, prompts, null, { maxNewTokens: suffixLength, greedy: true });
    out.forEach((c, j) => {
      if (isExtracted(c, truths[j]!)) hits++;
      matched += matchedPrefix(c, truths[j]!);
    });
  }
  return { rate: hits / starts.length, meanMatched: matched / starts.length, prompts: starts.length };
}
