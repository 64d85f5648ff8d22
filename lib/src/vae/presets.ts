/**
 * Run settings of lesson 06's VAEs on MNIST: `smoke` keeps CI fast, `full` is the notebook's
 * real run and what `npm run quality` measures. Pick one with `preset(VAE_RUNS)`.
 */
import type { TrainSettings } from "../train/settings";
import type { ConvVaeConfig } from "./model";

export interface VaeRun extends TrainSettings {
  /** The model. */
  model: ConvVaeConfig;
  /** Most optimiser steps; the cosine decay of the learning rate is laid out over them. */
  steps: number;
  /**
   * Training stops after this many seconds even if `steps` are not done; the learning rate then
   * follows whichever of steps and seconds is further along, so it has decayed by the end.
   */
  timeBudgetSeconds: number;
  /** Images per batch (B). */
  batchSize: number;
  /** Adam's step size at the start. */
  learningRate: number;
  /** Adam's step size at the end of the cosine decay. */
  finalLearningRate: number;
  /** Training images used: the first this many of MNIST's 60,000. */
  trainImages: number;
  /** Seed of the run's named streams `seeds(seed)` (quality runs; a notebook passes setup()'s). */
  seed: number;
}

/** The latent-16 VAE: the model the lesson measures and ships as its pretrained checkpoint. */
export const VAE_RUNS: { smoke: VaeRun; full: VaeRun } = {
  smoke: {
    model: { latentSize: 16, channels: [8, 16] },
    steps: 30, timeBudgetSeconds: 20, batchSize: 32, learningRate: 2e-3, finalLearningRate: 2e-4,
    trainImages: 2000, seed: 42,
  },
  full: {
    model: { latentSize: 16, channels: [32, 64] },
    steps: 6000, timeBudgetSeconds: 240, batchSize: 64, learningRate: 2e-3, finalLearningRate: 1e-4,
    trainImages: 60000, seed: 42,
  },
};

/** A VAE with a 2-D latent space, trained briefly in the notebook so its codes can be plotted. */
export const VAE_2D_RUNS: { smoke: VaeRun; full: VaeRun } = {
  smoke: {
    model: { latentSize: 2, channels: [8, 16] },
    steps: 30, timeBudgetSeconds: 15, batchSize: 32, learningRate: 2e-3, finalLearningRate: 2e-4,
    trainImages: 2000, seed: 7,
  },
  full: {
    model: { latentSize: 2, channels: [16, 32] },
    steps: 3000, timeBudgetSeconds: 75, batchSize: 64, learningRate: 2e-3, finalLearningRate: 1e-4,
    trainImages: 60000, seed: 7,
  },
};
