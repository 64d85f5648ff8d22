/**
 * Training a GAN: one (D step, G step) pair per step, as a step function for the course's one
 * loop (`fit`), until `run.steps` or `run.timeBudgetSeconds`, whichever comes first. `onProgress` gets both losses every step and,
 * every `run.sampleEvery` steps, a PNG grid of the generator's images for fixed noise — the same
 * z each time, so the grid shows one set of digits taking shape (a live display in the notebook).
 */
import { CourseError } from "../errors";
import { type MnistBatches, toSigned } from "../nn";
import type { Rng } from "../random";
import { type Streams, seeds } from "../seeds";
import { tf } from "../tf";
import { type FitHistory, type FitProgress, type TrainStep, fit } from "../train/fit";
import { type Schedule, linearDecaySchedule } from "../train/schedule";
import { checkTrainSettings } from "../train/settings";
import type { GanRun } from "./config";
import { type Gan, type GanStepLosses, ganStep, noiseFrom, sampleGrid } from "./gan";

/** fit's progress, with both players' losses. */
export interface GanProgress extends FitProgress {
  dLoss: number;
  gLoss: number;
  /** The fixed-noise sample grid (PNG), on steps that are multiples of sampleEvery and at the end. */
  grid?: Uint8Array;
}

export interface GanHistory extends FitHistory {
  /** Each step's losses (also in `parts`). */
  dLoss: number[];
  gLoss: number[];
}

/** One training step: the library's `ganStep` or a learner's `trainStep` of the same signature. */
export type GanStepFn = (gan: Gan, real: tf.Tensor4D, z: tf.Tensor2D, labels: tf.Tensor1D | undefined, realTarget: number) => GanStepLosses;

export interface FixedNoise {
  z: tf.Tensor2D;
  /** Labels for a conditional GAN (e.g. `rowLabels(100, 10, 10)`: a row of each digit). */
  labels?: tf.Tensor1D;
  /** Images per grid row (default 10). */
  cols?: number;
}

export interface TrainGanOptions {
  onProgress?: (p: GanProgress) => void | Promise<void>;
  /** Noise (and labels) of the progress grid; no grids without it. */
  fixedNoise?: FixedNoise;
  /** The step function (default ganStep). */
  step?: GanStepFn;
  /** Random streams; z comes from `streams.noise` (default: `seeds(run.seed)`). */
  streams?: Streams;
}

/** The learning-rate schedule of a run: constant, then the linear decay over its last `decayFraction`. */
export function ganSchedule(run: GanRun): Schedule {
  return linearDecaySchedule(run.learningRate, run.steps, run.decayFraction);
}

/** fit's step function: a (D step, G step) pair on the next batch, z drawn from `noise`. */
export function ganTrainStep(gan: Gan, batches: MnistBatches, run: GanRun, noise: Rng, step: GanStepFn = ganStep): TrainStep {
  return async (_i, learningRate) => {
    gan.setLearningRate(learningRate);
    const losses = tf.tidy(() => {
      const batch = batches.next(run.batchSize);
      const real = toSigned(batch.images); //                                 [B, 28, 28, 1] in [−1, 1]
      const z = noiseFrom(noise, run.batchSize, run.model.zDim); //           [B, Z]
      const { dLoss, gLoss } = step(gan, real, z, run.model.classes > 0 ? batch.labels : undefined, run.realTarget);
      return tf.stack([dLoss, gLoss]); //                                    [2]
    });
    const [dLoss, gLoss] = (await losses.data()) as Float32Array; // async: WebGPU reads no other way
    losses.dispose();
    return { loss: dLoss!, items: run.batchSize, parts: { dLoss: dLoss!, gLoss: gLoss! } };
  };
}

/** Train `gan` on `batches` (images in [0, 1], mapped to [−1, 1]) as `run` says. */
export async function trainGan(gan: Gan, batches: MnistBatches, run: GanRun, options: TrainGanOptions = {}): Promise<GanHistory> {
  if (run.model.classes !== gan.config.classes) {
    throw new CourseError(`trainGan(): the run has ${run.model.classes} classes, the GAN ${gan.config.classes}.`);
  }
  checkTrainSettings(run, "trainGan");
  const noise = (options.streams ?? seeds(run.seed)).noise;
  const history = await fit(ganTrainStep(gan, batches, run, noise, options.step), {
    steps: run.steps, timeBudgetSeconds: run.timeBudgetSeconds, schedule: ganSchedule(run), unit: "img", name: "trainGan",
    onProgress: async (p) => {
      const progress: GanProgress = { ...p, dLoss: p.parts!.dLoss!, gLoss: p.parts!.gLoss! };
      const last = p.step === run.steps || p.seconds >= run.timeBudgetSeconds;
      if (options.fixedNoise && (p.step % run.sampleEvery === 0 || last)) {
        const { z, labels, cols } = options.fixedNoise; // the grid's time is not training time (fit's clock stops)
        progress.grid = sampleGrid(gan, z, labels, cols ?? 10);
      }
      await options.onProgress?.(progress);
    },
  });
  await new Promise((resolve) => setTimeout(resolve, 50)); // let the last display update go out first
  return { ...history, dLoss: history.parts.dLoss ?? [], gLoss: history.parts.gLoss ?? [] };
}
