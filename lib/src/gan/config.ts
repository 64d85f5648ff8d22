/**
 * Settings of lesson 07's GANs on MNIST: the model (`GanConfig`) and a training run (`GanRun`)
 * with `smoke` / `full` presets — pick one with `preset(DCGAN_RUNS)` or `preset(CGAN_RUNS)`.
 * `full` is the notebook's real run and (for the conditional GAN) what `npm run quality -- 07`
 * measures.
 */
import { CourseError } from "../errors";
import type { TrainSettings } from "../train/settings";

export interface GanConfig {
  /** Length Z of the noise vector z the generator starts from. */
  zDim: number;
  /** Channels of the generator's 7×7 map; its 14×14 map has half as many. */
  gChannels: number;
  /** Channels of the discriminator's first convolution (14×14); its second (7×7) has twice as many. */
  dChannels: number;
  /** Classes the GAN is conditioned on: 0 for an unconditional DCGAN, 10 for a digit-conditional GAN. */
  classes: number;
}

export interface GanRun extends TrainSettings {
  model: GanConfig;
  /** Real images per discriminator step (and fakes per step of either player). */
  batchSize: number;
  /** Adam's step size for both players (DCGAN: 2e-4). */
  learningRate: number;
  /**
   * The last this fraction of the run (of `steps` or of the time budget, whichever is nearer its
   * end) lowers the step size linearly towards 0; 0 keeps it constant. Calmer final steps give
   * cleaner samples.
   */
  decayFraction: number;
  /** Adam's β1 for both players (DCGAN: 0.5; the default 0.9 makes GAN training oscillate more). */
  beta1: number;
  /** Target of real images in the discriminator's loss: 1, or 0.9 for one-sided label smoothing. */
  realTarget: number;
  /** Most (D step, G step) pairs. */
  steps: number;
  /** Training stops after this many seconds even if `steps` are not done. */
  timeBudgetSeconds: number;
  /** Call onProgress with a sample grid of the fixed noise every this many steps. */
  sampleEvery: number;
  /** Seed of the run's named streams `seeds(seed)` (quality runs; a notebook passes setup()'s). */
  seed: number;
}

/** Small enough that a notebook runs in seconds; the digits stay blobs. */
const SMOKE_MODEL: GanConfig = { zDim: 32, gChannels: 16, dChannels: 8, classes: 0 };
/**
 * The full model: about 0.27 M parameters in G and 0.04 M in D (with labels). A G with 128
 * channels takes about 1.6× as long per step on wasm; in short measured runs this one (batch 32,
 * lr 1e-3) reached a lower FID in the same time (the notebook's section 3 has the table).
 */
const FULL_MODEL: GanConfig = { zDim: 64, gChannels: 64, dChannels: 32, classes: 0 };

/** The unconditional DCGAN of sections 3–5. */
export const DCGAN_RUNS: { smoke: GanRun; full: GanRun } = {
  smoke: {
    model: SMOKE_MODEL, batchSize: 16, learningRate: 5e-4, decayFraction: 0, beta1: 0.5, realTarget: 1,
    steps: 20, timeBudgetSeconds: 20, sampleEvery: 10, seed: 7,
  },
  full: {
    model: FULL_MODEL, batchSize: 32, learningRate: 1e-3, decayFraction: 0.3, beta1: 0.5, realTarget: 1,
    steps: 20_000, timeBudgetSeconds: 120, sampleEvery: 50, seed: 7,
  },
};

/** The class-conditional GAN of sections 6–7: the model `npm run quality -- 07` measures. */
export const CGAN_RUNS: { smoke: GanRun; full: GanRun } = {
  smoke: { ...DCGAN_RUNS.smoke, model: { ...SMOKE_MODEL, classes: 10 } },
  full: { ...DCGAN_RUNS.full, model: { ...FULL_MODEL, classes: 10 }, timeBudgetSeconds: 390 },
};

/** Throws a CourseError naming the first field that is not a positive integer (classes may be 0). */
export function checkGanConfig(c: GanConfig): void {
  for (const key of ["zDim", "gChannels", "dChannels", "classes"] as const) {
    const min = key === "classes" ? 0 : 1;
    if (!(Number.isInteger(c[key]) && c[key] >= min)) {
      throw new CourseError(`GanConfig.${key} must be an integer ≥ ${min}, got ${c[key]}.`);
    }
  }
  if (c.gChannels % 2 !== 0) {
    throw new CourseError(`GanConfig.gChannels must be even (the 14×14 map has half as many), got ${c.gChannels}.`);
  }
}
