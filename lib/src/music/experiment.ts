/**
 * Lesson 09's data and training, shared by the notebook and `npm run quality -- 09`: the split
 * with keys, the augmented training stream, and one call that trains any LanguageModel on it
 * with the course's `trainLM`.
 */
import { loadJsbChorales } from "../data/jsbChorales";
import type { LanguageModel } from "../lm/model";
import { cosineSchedule } from "../train/schedule";
import { trainLM, type Progress, type TrainHistory } from "../lm/train";
import { crossEntropy } from "../lm/loss";
import { tf } from "../tf";
import { Rng } from "../random";
import type { MusicRun } from "./presets";
import { ALL_SHIFTS, stepWindows, tokenStream, transposedCopies, withKeys, type KeyedChorale } from "./stream";

export interface MusicData {
  train: KeyedChorale[];
  valid: KeyedChorale[];
  test: KeyedChorale[];
  /** The training chorales in all 12 keys (transposition as augmentation), as one stream. */
  trainTokens: Int32Array;
  /** The validation chorales as written. */
  validTokens: Int32Array;
}

/** The JSB Chorales with Krumhansl–Schmuckler keys and the token streams. */
export function musicData(): MusicData {
  const d = loadJsbChorales();
  const train = withKeys(d.train), valid = withKeys(d.valid), test = withKeys(d.test);
  return { train, valid, test, trainTokens: tokenStream(transposedCopies(train, ALL_SHIFTS)), validTokens: tokenStream(valid) };
}

/** Train `model` on the augmented stream with the run's schedule (seeded batches). */
export function trainOnChorales(model: LanguageModel, data: MusicData, run: MusicRun, onProgress?: (p: Progress) => void): Promise<TrainHistory> {
  const rng = new Rng(run.seed + 1), T = model.blockSize;
  return trainLM(model, (split) => stepWindows(split === "train" ? data.trainTokens : data.validTokens, T, run.batchSize, rng), {
    steps: run.steps,
    timeBudgetSeconds: run.timeBudgetSeconds,
    learningRate: cosineSchedule(run.learningRate, run.finalLearningRate, run.steps, run.warmupSteps),
    evalEvery: run.evalEvery,
    evalBatches: run.evalBatches,
    onProgress,
  });
}

/**
 * Exact mean NLL (nats/token) of predicting tokens[1 …] with a sliding window, as the n-gram is
 * scored: windows of T = blockSize tokens every T/2 tokens, each scoring only its last T/2
 * predictions (the first window all of them), so every prediction after the first T/2 sees at
 * least T/2 tokens of context. Batches of `batchSize` windows; padding is target −1 (ignored).
 */
export async function validNll(model: LanguageModel, tokens: Int32Array, batchSize = 32): Promise<number> {
  const T = model.blockSize, half = Math.floor(T / 2), n = tokens.length;
  const starts: number[] = [];
  for (let s = 0; s === 0 || s + half < n - 1; s += half) starts.push(s);
  let total = 0, count = 0;
  for (let b0 = 0; b0 < starts.length; b0 += batchSize) {
    const rows = starts.slice(b0, b0 + batchSize), B = rows.length;
    const x = new Int32Array(B * T), y = new Int32Array(B * T).fill(-1);
    let scored = 0;
    rows.forEach((s, b) => {
      for (let j = 0; j < T && s + j < n; j++) {
        x[b * T + j] = tokens[s + j]!;
        if (s + j + 1 < n && (s === 0 || j >= half)) { y[b * T + j] = tokens[s + j + 1]!; scored++; }
      }
    });
    const loss = tf.tidy(() => crossEntropy(model.logits(tf.tensor2d(x, [B, T], "int32")), tf.tensor2d(y, [B, T], "int32"))); // [B, T, V] → []
    total += ((await loss.data())[0] as number) * scored;
    count += scored;
    loss.dispose();
  }
  return total / count;
}
