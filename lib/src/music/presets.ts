/**
 * Run settings of lesson 09: `smoke` keeps CI fast, `full` is the notebook's real run and what
 * `npm run quality -- 09` measures. Pick one with `preset(MUSIC_RUNS)`.
 */
import type { GptConfig } from "../lm/gpt";
import type { LstmConfig } from "../lm/lstm";
import type { TrainSettings } from "../train/settings";

/**
 * The LSTM trains at `learningRate` → `finalLearningRate`; the GPT at `gptRates`, lower: at the
 * LSTM's 1e-2 it ends far behind (docs/MEASUREMENTS.md, lesson 09).
 */
export interface MusicRun extends Required<TrainSettings> {
  /** The mini-GPT's peak and final learning rates: train it with `{ ...run, ...run.gptRates }`. */
  gptRates: Required<Pick<TrainSettings, "learningRate" | "finalLearningRate">>;
  /** The mini-GPT (05), less its vocabulary size. */
  gpt: Omit<GptConfig, "vocabSize">;
  /** The LSTM (03), less its vocabulary size. */
  lstm: Omit<LstmConfig, "vocabSize">;
  /** Validate every this many steps, averaging this many random batches. */
  evalEvery: number;
  evalBatches: number;
  /** Longest n-gram counted; the order used (2 … ngramMax) is the one best on validation. */
  ngramMax: number;
  /** Chorales generated per model, and their length in bars (16 steps each). */
  chorales: number;
  bars: number;
  /** Sampling temperature of every generator. */
  temperature: number;
  /** Seed of the run's named streams `seeds(seed)` (the quality run; a notebook uses setup()'s). */
  seed: number;
}

export const MUSIC_RUNS: { smoke: MusicRun; full: MusicRun } = {
  smoke: {
    gpt: { blockSize: 32, embeddingSize: 16, heads: 2, layers: 1 },
    lstm: { blockSize: 32, embeddingSize: 8, hiddenSize: 32 },
    steps: 15, timeBudgetSeconds: 20, batchSize: 4, learningRate: 1e-2, finalLearningRate: 1e-3, warmupSteps: 0,
    gptRates: { learningRate: 3e-3, finalLearningRate: 3e-4 },
    evalEvery: 15, evalBatches: 1, ngramMax: 3, chorales: 4, bars: 1, temperature: 1, seed: 42,
  },
  full: {
    gpt: { blockSize: 64, embeddingSize: 64, heads: 4, layers: 2 },
    lstm: { blockSize: 64, embeddingSize: 32, hiddenSize: 128 },
    steps: 2000, timeBudgetSeconds: 240, batchSize: 32, learningRate: 1e-2, finalLearningRate: 1e-3, warmupSteps: 50,
    gptRates: { learningRate: 3e-3, finalLearningRate: 3e-4 },
    evalEvery: 100, evalBatches: 4, ngramMax: 8, chorales: 100, bars: 4, temperature: 1, seed: 42,
  },
};
