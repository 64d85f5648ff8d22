/**
 * Run settings of lesson 12: `smoke` keeps CI fast, `full` is the notebook's real run and what
 * `npm run quality -- 12` measures. Pick one with `preset(RESPONSIBLE_RUNS)`.
 */
import type { DetectorTraining } from "./detector";
import type { WatermarkExperimentOptions } from "./watermark-eval";

export interface ResponsibleRun {
  /** Seed of the run's named streams `seeds(seed)` (quality runs; the notebook passes setup()'s). */
  seed: number;
  /** The watermark experiment on the pretrained GPT (key, γ and δ in `watermark`). */
  watermarkExperiment: WatermarkExperimentOptions;
  watermark: { key: number; gamma: number; delta: number };
  /** Extraction test: prompts from each split, prefix and suffix lengths in characters. */
  extraction: { prompts: number; prefixLength: number; suffixLength: number };
  /** Names generated per name model for the bias audit. */
  biasNames: number;
  /** Detector data: real training / test images, GAN and diffusion fakes for training / testing. */
  detectorData: { realTrain: number; realTest: number; fakeTrain: number; fakeTest: number; diffusionSteps: number };
  detectorTraining: DetectorTraining;
  /** Unconditional diffusion samples for the class-balance audit. */
  classBalanceSamples: number;
  /** Samples per generator (and held-out images) in the nearest-training-image check, and the training images searched. */
  memorisation: { samples: number; pool: number };
}

export const RESPONSIBLE_RUNS: { smoke: ResponsibleRun; full: ResponsibleRun } = {
  smoke: {
    seed: 42,
    watermarkExperiment: {
      samples: 8, plainSamples: 4, promptLength: 16, lengths: [50, 100], editFractions: [0.1, 0.3], humanWindows: 50,
      contextLength: 16, batchSize: 8,
    },
    watermark: { key: 15485863, gamma: 0.25, delta: 2 },
    extraction: { prompts: 8, prefixLength: 16, suffixLength: 20 },
    biasNames: 100,
    detectorData: { realTrain: 200, realTest: 100, fakeTrain: 100, fakeTest: 100, diffusionSteps: 4 },
    detectorTraining: { steps: 20, batchSize: 32, learningRate: 2e-3 },
    classBalanceSamples: 50,
    memorisation: { samples: 50, pool: 2000 },
  },
  full: {
    seed: 42,
    watermarkExperiment: {
      samples: 100, plainSamples: 40, promptLength: 32, lengths: [50, 100, 200], editFractions: [0.05, 0.1, 0.2, 0.3, 0.5],
      humanWindows: 600, contextLength: 32, batchSize: 100,
    },
    watermark: { key: 15485863, gamma: 0.25, delta: 2 },
    extraction: { prompts: 100, prefixLength: 32, suffixLength: 50 },
    biasNames: 2000,
    detectorData: { realTrain: 3000, realTest: 400, fakeTrain: 600, fakeTest: 400, diffusionSteps: 20 },
    detectorTraining: { steps: 600, batchSize: 64, learningRate: 2e-3 },
    classBalanceSamples: 300,
    memorisation: { samples: 100, pool: 60_000 },
  },
};
