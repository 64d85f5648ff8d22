/**
 * Run settings of lesson 02's MLP on the names split: `smoke` keeps CI fast, `full` is the
 * notebook's real run and what `npm run quality` measures. Pick one with `preset(MLP_NAMES_RUNS)`.
 */
import type { TrainSettings } from "../train/settings";
import type { MlpConfig } from "./mlp";

export interface MlpNamesRun extends TrainSettings {
  /** The model, less its vocabulary size (that comes from the data). */
  model: Omit<MlpConfig, "vocabSize">;
  /** Optimiser steps. */
  steps: number;
  /** Words per batch; each word gives its length + 1 predictions. */
  batchSize: number;
  /** Adam's step size at the first step, decayed along a cosine to `finalLearningRate`. */
  learningRate: number;
  /** Adam's step size at the last step. */
  finalLearningRate: number;
  /** Validate every this many steps. */
  evalEvery: number;
  /** Batches of validation words averaged per validation. */
  evalBatches: number;
  /** Seed of the run's named streams `seeds(seed)` (quality runs; a notebook passes setup()'s). */
  seed: number;
}

export const MLP_NAMES_RUNS: { smoke: MlpNamesRun; full: MlpNamesRun } = {
  smoke: {
    model: { blockSize: 3, embeddingSize: 2, hiddenSize: 16 },
    steps: 40, batchSize: 32, learningRate: 1e-2, finalLearningRate: 1e-3, evalEvery: 20, evalBatches: 2, seed: 42,
  },
  full: {
    model: { blockSize: 8, embeddingSize: 16, hiddenSize: 256 },
    steps: 3000, batchSize: 64, learningRate: 3e-3, finalLearningRate: 3e-4, evalEvery: 250, evalBatches: 10, seed: 42,
  },
};
