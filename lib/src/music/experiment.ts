/**
 * Lesson 09's data and training, shared by the notebook and `npm run quality -- 09`: the split
 * with keys, the augmented training stream, and one call that trains any LanguageModel on it
 * with the course's `trainLM`.
 */
import { loadJsbChorales } from "../data/jsbChorales";
import type { LanguageModel } from "../lm/model";
import { cosineSchedule } from "../train/schedule";
import { checkTrainSettings } from "../train/settings";
import { trainLM, type Progress, type TrainHistory } from "../lm/train";
import { crossEntropy } from "../lm/loss";
import { tf } from "../tf";
import type { Rng } from "../random";
import type { MusicRun } from "./presets";
import { ALL_SHIFTS, keyedWindows, tokenPieces, tokenStream, transposedCopies, withKeys, type KeyedChorale } from "./stream";
import { VOICES, keyedWindow } from "./tokens";

export interface MusicData {
  train: KeyedChorale[];
  valid: KeyedChorale[];
  test: KeyedChorale[];
  /** The training chorales in all 12 keys (transposition as augmentation), as one stream. */
  trainTokens: Int32Array;
  /** The same chorales one by one (header step first), what the networks are trained on. */
  trainPieces: Int32Array[];
  /** The validation chorales as written, one by one. */
  validPieces: Int32Array[];
}

/** The JSB Chorales with Krumhansl–Schmuckler keys and the token streams. */
export function musicData(): MusicData {
  const d = loadJsbChorales();
  const train = withKeys(d.train), valid = withKeys(d.valid), test = withKeys(d.test);
  const augmented = transposedCopies(train, ALL_SHIFTS);
  return { train, valid, test, trainTokens: tokenStream(augmented), trainPieces: tokenPieces(augmented), validPieces: tokenPieces(valid) };
}

/**
 * Train `model` on windows of the augmented chorales, each opening with its header, with the run's
 * schedule; `batches` (the run's `streams.batches`) draws every window.
 */
export function trainOnChorales(model: LanguageModel, data: MusicData, run: MusicRun, batches: Rng, onProgress?: (p: Progress) => void): Promise<TrainHistory> {
  checkTrainSettings(run, "trainOnChorales");
  const T = model.blockSize;
  return trainLM(model, (split) => keyedWindows(split === "train" ? data.trainPieces : data.validPieces, T, run.batchSize, batches), {
    steps: run.steps,
    timeBudgetSeconds: run.timeBudgetSeconds,
    learningRate: cosineSchedule(run.learningRate, run.finalLearningRate, run.steps, run.warmupSteps),
    evalEvery: run.evalEvery,
    evalBatches: run.evalBatches,
    onProgress,
  });
}

/**
 * Exact mean NLL (nats/token) of every token after each piece's header, as the n-gram is scored.
 * A window is the header plus W = T − 4 tokens of the piece cut as in training (`keyedWindow`);
 * windows start every W/2 tokens (a whole number of steps), and each scores only the predictions
 * the window before did not (the first scores all), so every prediction sees the key and at least
 * W/2 tokens before it.
 * Batches of `batchSize` windows; unscored targets are −1 (ignored).
 */
export async function validNll(model: LanguageModel, pieces: readonly Int32Array[], batchSize = 32): Promise<number> {
  const T = model.blockSize, W = T - VOICES, half = VOICES * Math.max(1, Math.floor(W / VOICES / 2));
  const windows: { piece: Int32Array; s: number }[] = [];
  for (const piece of pieces) {
    for (let s = VOICES; s < piece.length; s += half) {
      windows.push({ piece, s });
      if (s + W >= piece.length - 1) break; // this window reaches the last token
    }
  }
  let total = 0, count = 0;
  for (let b0 = 0; b0 < windows.length; b0 += batchSize) {
    const rows = windows.slice(b0, b0 + batchSize), B = rows.length;
    const x = new Int32Array(B * T), y = new Int32Array(B * T).fill(-1);
    let scored = 0;
    rows.forEach(({ piece, s }, b) => {
      const w = keyedWindow(piece, s, W + 1); // header, then W + 1 tokens from s, first step written out
      x.set(w.slice(0, T), b * T);
      // Position VOICES − 1 + m predicts w[VOICES + m], the piece's token s + m, m = 0 … W.
      for (let m = s === VOICES ? 0 : W - half + 1; m <= W && VOICES + m < w.length; m++) {
        y[b * T + VOICES - 1 + m] = w[VOICES + m]!;
        scored++;
      }
    });
    const loss = tf.tidy(() => crossEntropy(model.logits(tf.tensor2d(x, [B, T], "int32")), tf.tensor2d(y, [B, T], "int32"))); // [B, T, V] → []
    total += ((await loss.data())[0] as number) * scored;
    count += scored;
    loss.dispose();
  }
  return total / count;
}
