/**
 * Lesson 12's watermark experiment on a language model: continue `samples` validation prompts
 * with and without the watermark, then measure how often the z-test finds it in the first T
 * characters, how often it fires on human text (validation windows of the longest T), what the
 * watermark costs in the model's own NLL, and how z falls when a fraction of characters is edited.
 */
import type { LanguageModel } from "../lm/model";
import type { Streams } from "../seeds";
import { generateBatch } from "./generate-batch";
import { rateAbove } from "./roc";
import { WATERMARK_Z_THRESHOLD, type WatermarkConfig, detectWatermark, editTokens } from "./watermark";

export interface WatermarkExperimentOptions {
  /** Watermarked (and as many plain) continuations. */
  samples: number;
  /** Prompt length in tokens, cut from the validation text. */
  promptLength: number;
  /** Lengths T (in tokens) at which detection is measured; the longest is generated. */
  lengths: number[];
  /** Fractions of characters changed by the editing attack (on the longest T). */
  editFractions: number[];
  /** Human windows of the longest T scored for false positives (at most what the text holds). */
  humanWindows: number;
  /** Plain continuations (for the NLL cost and plain text's z); default `samples`. */
  plainSamples?: number;
  /** Tokens the model reads when generating (≤ its blockSize; fewer is faster). */
  contextLength?: number;
  /** Continuations generated per forward pass. */
  batchSize: number;
}

export interface WatermarkExperiment {
  /** z of every watermarked sample at each T (keys are the lengths). */
  z: Record<number, number[]>;
  /** Fraction of watermarked samples with z > 4 at each T. */
  detectionRate: Record<number, number>;
  /** z of the plain (unwatermarked) samples at the longest T. */
  plainZ: number[];
  /** z of human validation windows of the longest T, and the fraction above 4. */
  humanZ: number[];
  falsePositiveRate: number;
  /** Mean per-character NLL (nats) of the plain and watermarked samples under the plain model. */
  plainNll: number;
  watermarkedNll: number;
  /** Mean z and detection rate after each editing fraction. */
  edits: { fraction: number; meanZ: number; detectionRate: number }[];
}

const mean = (xs: ArrayLike<number>) => Array.from(xs).reduce((a, b) => a + b, 0) / Math.max(xs.length, 1);

/** Where the experiment draws: prompts and edits from `eval`, the continuations from `sample`. */
export type WatermarkStreams = Pick<Streams, "sample" | "eval">;

/** Generate the two sets of continuations: rows start with the prompt's last token (the first predecessor). */
function continuations(
  model: LanguageModel, val: Int32Array, config: WatermarkConfig, o: WatermarkExperimentOptions, streams: WatermarkStreams,
) {
  const T = Math.max(...o.lengths);
  const starts = Array.from({ length: o.samples }, () => streams.eval.int(val.length - o.promptLength));
  const prompts = starts.map((s) => Array.from(val.subarray(s, s + o.promptLength)));
  const run = (count: number, watermark?: WatermarkConfig) => {
    const rows: number[][] = [], nll: number[] = [];
    for (let i = 0; i < count; i += o.batchSize) {
      const batch = prompts.slice(i, Math.min(i + o.batchSize, count));
      const r = generateBatch(model, batch, streams.sample, { maxNewTokens: T, watermark, contextLength: o.contextLength });
      r.tokens.forEach((t, j) => rows.push([batch[j]![batch[j]!.length - 1]!, ...t]));
      nll.push(...r.nll);
    }
    return { rows, nll };
  };
  return { marked: run(o.samples, config), plain: run(o.plainSamples ?? o.samples) };
}

/** Run the experiment; `val` is the validation text as token ids, `streams` the run's (e.g. setup()'s). */
export function watermarkExperiment(
  model: LanguageModel, val: Int32Array, config: WatermarkConfig, o: WatermarkExperimentOptions, streams: WatermarkStreams,
): WatermarkExperiment {
  const V = model.vocabSize, T = Math.max(...o.lengths);
  const { marked, plain } = continuations(model, val, config, o, streams);
  const zOf = (rows: number[][], len: number) => rows.map((r) => detectWatermark(r.slice(0, len + 1), V, config).z);
  const z: Record<number, number[]> = {}, detectionRate: Record<number, number> = {};
  for (const len of o.lengths) {
    z[len] = zOf(marked.rows, len);
    detectionRate[len] = rateAbove(z[len]!, WATERMARK_Z_THRESHOLD);
  }
  const windows = Math.min(o.humanWindows, Math.floor(val.length / (T + 1)));
  const human = Array.from({ length: windows }, (_, w) => Array.from(val.subarray(w * (T + 1), (w + 1) * (T + 1))));
  const humanZ = zOf(human, T);
  const alphabet = [...new Set(val)];
  const edits = o.editFractions.map((fraction) => {
    const zs = zOf(marked.rows.map((r) => editTokens(r, fraction, alphabet, streams.eval)), T);
    return { fraction, meanZ: mean(zs), detectionRate: rateAbove(zs, WATERMARK_Z_THRESHOLD) };
  });
  return {
    z, detectionRate, plainZ: zOf(plain.rows, T), humanZ, falsePositiveRate: rateAbove(humanZ, WATERMARK_Z_THRESHOLD),
    plainNll: mean(plain.nll), watermarkedNll: mean(marked.nll), edits,
  };
}
