/**
 * The GAN training loop: MNIST batches in, one (D step, G step) pair per step, until `run.steps`
 * or `run.timeBudgetSeconds`, whichever comes first. `onProgress` gets both losses every step and,
 * every `run.sampleEvery` steps, a PNG grid of the generator's images for fixed noise — the same
 * z each time, so the grid shows one set of digits taking shape (a live display in the notebook).
 */
import { CourseError } from "../errors";
import { type MnistBatches, toSigned } from "../nn";
import { Rng } from "../random";
import { tf } from "../tf";
import type { GanRun } from "./config";
import { type Gan, type GanStepLosses, ganStep, noiseFrom, sampleGrid } from "./gan";
import { yieldToEventLoop } from "../timing";

export interface GanProgress {
  /** Steps done (1-based). */
  step: number;
  dLoss: number;
  gLoss: number;
  /** Seconds since training started. */
  seconds: number;
  /** The fixed-noise sample grid (PNG), on steps that are multiples of sampleEvery and at the end. */
  grid?: Uint8Array;
}

export interface GanHistory {
  dLoss: number[];
  gLoss: number[];
  /** Training seconds (without the grids). */
  seconds: number;
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
}

/** The step size of step `i` (0-based) after `seconds` of training: constant, then the linear decay. */
export function learningRateAt(run: GanRun, i: number, seconds: number): number {
  if (run.decayFraction <= 0) return run.learningRate;
  const done = Math.max(i / run.steps, seconds / run.timeBudgetSeconds); //   fraction of the run behind us
  return run.learningRate * Math.min(1, Math.max(0, 1 - done) / run.decayFraction);
}

/** Train `gan` on `batches` (images in [0, 1], mapped to [−1, 1]) as `run` says. */
export async function trainGan(gan: Gan, batches: MnistBatches, run: GanRun, options: TrainGanOptions = {}): Promise<GanHistory> {
  if (run.model.classes !== gan.config.classes) {
    throw new CourseError(`trainGan(): the run has ${run.model.classes} classes, the GAN ${gan.config.classes}.`);
  }
  const step = options.step ?? ganStep;
  const noiseRng = new Rng(run.seed + 2);
  const history: GanHistory = { dLoss: [], gLoss: [], seconds: 0 };
  let gridSeconds = 0;
  const t0 = performance.now();
  for (let i = 1; i <= run.steps; i++) {
    gan.setLearningRate(learningRateAt(run, i - 1, (performance.now() - t0) / 1000 - gridSeconds));
    const losses = tf.tidy(() => {
      const batch = batches.next(run.batchSize);
      const real = toSigned(batch.images); //                                 [B, 28, 28, 1] in [−1, 1]
      const z = noiseFrom(noiseRng, run.batchSize, run.model.zDim); //       [B, Z]
      const { dLoss, gLoss } = step(gan, real, z, run.model.classes > 0 ? batch.labels : undefined, run.realTarget);
      return tf.stack([dLoss, gLoss]); //                                    [2]
    });
    const [dLoss, gLoss] = (await losses.data()) as Float32Array; // async: WebGPU reads no other way
    losses.dispose();
    history.dLoss.push(dLoss!);
    history.gLoss.push(gLoss!);
    const seconds = (performance.now() - t0) / 1000 - gridSeconds;
    const last = i === run.steps || seconds >= run.timeBudgetSeconds;
    const progress: GanProgress = { step: i, dLoss: dLoss!, gLoss: gLoss!, seconds };
    if (options.fixedNoise && (i % run.sampleEvery === 0 || last)) {
      const g0 = performance.now();
      const { z, labels, cols } = options.fixedNoise;
      progress.grid = sampleGrid(gan, z, labels, cols ?? 10);
      gridSeconds += (performance.now() - g0) / 1000;
    }
    await options.onProgress?.(progress);
    // Give the event loop a turn every step: a notebook kernel sends display updates and answers
    // Jupyter's messages only then, and a long run of synchronous steps starves it.
    await yieldToEventLoop();
    history.seconds = seconds;
    if (last) break;
  }
  await new Promise((resolve) => setTimeout(resolve, 50)); // let the last display update go out first
  return history;
}
