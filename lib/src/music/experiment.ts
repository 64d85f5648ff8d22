/**
 * Lesson 09's data and training, shared by the notebook and `npm run quality -- 09`: the split
 * with keys, the augmented training stream, and one call that trains any LanguageModel on it
 * with the course's `trainLM`.
 */
import { loadJsbChorales } from "../data/jsbChorales";
import type { LanguageModel } from "../lm/model";
import { cosineSchedule } from "../lm/schedule";
import { trainLM, type Progress, type TrainHistory } from "../lm/train";
import { windowNll } from "../lm/gpt-eval";
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

/** Exact validation NLL (nats/token) over every whole window of blockSize tokens of the stream. */
export function validNll(model: LanguageModel, tokens: Int32Array, maxWindows = Infinity): Promise<number> {
  return windowNll(model, tokens, Math.min(maxWindows, Math.floor((tokens.length - 1) / model.blockSize)));
}
