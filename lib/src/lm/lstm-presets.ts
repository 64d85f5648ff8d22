/**
 * Run settings of lesson 03's LSTM on Moby Dick: `smoke` keeps CI fast, `full` is the notebook's
 * real run and what `npm run quality` measures. Pick one with `preset(LSTM_MOBY_RUNS)`.
 */
import type { TrainSettings } from "../train/settings";
import type { LstmConfig } from "./lstm";

export interface LstmMobyRun extends TrainSettings {
  /** The model, less its vocabulary size (that comes from the data). */
  model: Omit<LstmConfig, "vocabSize">;
  /** Optimiser steps. */
  steps: number;
  /** Parallel text streams per batch (B); each step trains on B × blockSize characters. */
  batchSize: number;
  /** Adam's step size after warm-up, decayed along a cosine to `finalLearningRate`. */
  learningRate: number;
  /** Adam's step size at the last step. */
  finalLearningRate: number;
  /** Steps of linear learning-rate warm-up. */
  warmupSteps: number;
  /** Validate every this many steps. */
  evalEvery: number;
  /** Consecutive validation batches averaged per validation. */
  evalBatches: number;
  /** Validation characters scored exactly at the end (all of them if larger than the split). */
  scoreChars: number;
  /** Seed of the run's named streams `seeds(seed)` (quality runs; a notebook passes setup()'s). */
  seed: number;
}

export const LSTM_MOBY_RUNS: { smoke: LstmMobyRun; full: LstmMobyRun } = {
  smoke: {
    model: { blockSize: 16, embeddingSize: 8, hiddenSize: 32 },
    steps: 30, batchSize: 8, learningRate: 1e-2, finalLearningRate: 1e-3, warmupSteps: 0,
    evalEvery: 15, evalBatches: 2, scoreChars: 4000, seed: 42,
  },
  full: {
    model: { blockSize: 32, embeddingSize: 32, hiddenSize: 256 },
    steps: 2000, batchSize: 64, learningRate: 1e-2, finalLearningRate: 1e-3, warmupSteps: 30,
    evalEvery: 100, evalBatches: 8, scoreChars: Infinity, seed: 42,
  },
};
