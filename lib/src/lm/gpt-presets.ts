/**
 * Run settings of lesson 05's mini-GPT on Moby Dick: `smoke` keeps CI fast, `full` is the
 * notebook's real run and what `npm run quality` measures. Pick one with `preset(GPT_MOBY_RUNS)`.
 * The full model is nanoGPT's CPU configuration (4 layers, 4 heads, C = 128, block 64, batch 12).
 */
import type { TrainSettings } from "../train/settings";
import type { GptConfig } from "./gpt";

export interface GptMobyRun extends Required<TrainSettings> {
  /** The model, less its vocabulary size (that comes from the data). */
  model: Omit<GptConfig, "vocabSize">;
  /** Validate every this many steps. */
  evalEvery: number;
  /** Random validation batches averaged per validation. */
  evalBatches: number;
  /** Validation windows of blockSize characters scored exactly at the end (windowNll). */
  scoreWindows: number;
  /** Seed of the run's named streams `seeds(seed)` (quality runs; a notebook passes setup()'s). */
  seed: number;
}

export const GPT_MOBY_RUNS: { smoke: GptMobyRun; full: GptMobyRun } = {
  smoke: {
    model: { blockSize: 16, embeddingSize: 16, heads: 2, layers: 1 },
    steps: 20, timeBudgetSeconds: 30, batchSize: 4, learningRate: 1e-2, finalLearningRate: 1e-3, warmupSteps: 0,
    evalEvery: 10, evalBatches: 2, scoreWindows: 32, seed: 42,
  },
  full: {
    model: { blockSize: 64, embeddingSize: 128, heads: 4, layers: 4 },
    steps: 900, timeBudgetSeconds: 120, batchSize: 12, learningRate: 2e-3, finalLearningRate: 2e-4, warmupSteps: 30,
    evalEvery: 100, evalBatches: 4, scoreWindows: 1024, seed: 42,
  },
};
