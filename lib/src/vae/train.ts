/**
 * Training a VAE: Adam on −ELBO over shuffled MNIST batches with a fresh seeded ε every step, as
 * a step function for the course's one loop (`fit`: cosine decay, time budget, progress). The
 * loss can be swapped (the grader trains with a learner's ELBO), the rest stays the same.
 */
import { loadMnist } from "../data/mnist";
import { CourseError } from "../errors";
import type { Adam } from "../nn/adam";
import { MnistBatches } from "../nn/mnist-batches";
import { adam } from "../nn/layers";
import type { Rng } from "../random";
import { type Streams, seeds } from "../seeds";
import { tf } from "../tf";
import { type FitHistory, type FitProgress, type TrainStep, fit } from "../train/fit";
import { cosineSchedule } from "../train/schedule";
import { checkTrainSettings } from "../train/settings";
import { latentNoise, negElbo } from "./loss";
import type { ConvVae } from "./model";
import type { VaeRun } from "./presets";

/** fit's progress (`itemsPerSecond` counts images, also named `imagesPerSecond`), with the epoch. */
export interface VaeProgress extends FitProgress {
  /** Completed passes over the training images. */
  epoch: number;
  imagesPerSecond: number;
}

export interface VaeTrainOptions {
  /** The loss to minimise for a batch x [B, 28, 28, 1] and noise eps [B, Z]; default negElbo. */
  loss?: (x: tf.Tensor4D, eps: tf.Tensor2D) => tf.Scalar;
  /** Called after every step (default: nothing). */
  onProgress?: (p: VaeProgress) => void;
  /** Random streams; ε comes from `streams.noise` (default: `seeds(run.seed)`). */
  streams?: Streams;
}

export interface VaeHistory extends FitHistory {
  /** Training images seen (the same as `items`). */
  images: number;
  epochs: number;
}

/** Shuffled batches of the first `run.trainImages` training images, in the order of `streams.batches`. */
export function vaeBatches(run: Pick<VaeRun, "trainImages" | "seed">, streams: Streams = seeds(run.seed)): MnistBatches {
  return new MnistBatches(loadMnist("train", { limit: run.trainImages }), streams.batches);
}

/** The step function: one Adam step on `lossOf` for the next batch, ε drawn from `noise`. */
export function vaeStep(
  optimizer: Adam, variables: tf.Variable[], batches: MnistBatches, noise: Rng, run: VaeRun,
  lossOf: (x: tf.Tensor4D, eps: tf.Tensor2D) => tf.Scalar,
): TrainStep {
  return async (_step, learningRate) => {
    optimizer.setLearningRate(learningRate);
    const { images, labels } = batches.next(run.batchSize); //                 [B, 28, 28, 1], [B]
    const eps = latentNoise(noise, run.batchSize, run.model.latentSize); //     [B, Z]
    const loss = optimizer.minimize(() => lossOf(images, eps), true, variables) as tf.Scalar;
    const value = (await loss.data())[0] as number;
    tf.dispose([images, labels, eps, loss]);
    return { loss: value, items: run.batchSize };
  };
}

/** Train `model` with Adam on batches from `batches`, a cosine decay over steps or seconds. */
export async function trainVae(
  model: ConvVae, batches: MnistBatches, run: VaeRun, options: VaeTrainOptions = {},
): Promise<VaeHistory> {
  if (model.config.latentSize !== run.model.latentSize) {
    throw new CourseError(`trainVae: the model has Z = ${model.config.latentSize}, the run's config Z = ${run.model.latentSize}.`);
  }
  checkTrainSettings(run, "trainVae");
  const lossOf = options.loss ?? ((x: tf.Tensor4D, eps: tf.Tensor2D) => negElbo(model, x, eps));
  const noise = (options.streams ?? seeds(run.seed)).noise, optimizer = adam(run.learningRate);
  try {
    const history = await fit(vaeStep(optimizer, model.variables, batches, noise, run, lossOf), {
      steps: run.steps, timeBudgetSeconds: run.timeBudgetSeconds, unit: "img", name: "trainVae",
      schedule: cosineSchedule(run.learningRate, run.finalLearningRate, run.steps),
      onProgress: (p) => options.onProgress?.({ ...p, epoch: batches.epoch, imagesPerSecond: p.itemsPerSecond }),
    });
    return { ...history, images: history.items, epochs: history.items / batches.data.count };
  } finally {
    optimizer.dispose();
  }
}
