/**
 * Training the denoiser (DDPM, Algorithm 1): draw x_0 from the data, t uniformly, ε ~ N(0, I);
 * make x_t = √ᾱ_t·x_0 + √(1 − ᾱ_t)·ε and regress ε̂(x_t, t, y) on ε. For classifier-free
 * guidance the label y is replaced by the null label with probability `labelDropout`, so one
 * network learns both ε̂(x_t, t, y) and ε̂(x_t, t). An exponential moving average (EMA) of the
 * weights is what samples best after short training.
 */
import { CourseError } from "../errors";
import type { Adam } from "../nn/adam";
import { type MnistBatches, toSigned } from "../nn/mnist-batches";
import { adam } from "../nn/layers";
import type { Rng } from "../random";
import { tf } from "../tf";
import { type FitHistory, type FitProgress, type TrainStep, fit } from "../train/fit";
import { cosineSchedule } from "../train/schedule";
import { type TrainSettings, checkTrainSettings } from "../train/settings";
import { type NoiseSchedule, perImage, qSampleAt } from "./schedule";
import type { DiffusionUnet } from "./unet";

export interface DiffusionTrainConfig extends TrainSettings {
  /** Images per step. */
  batchSize: number;
  /** Most steps (the run also stops at `timeBudgetSeconds`). */
  steps: number;
  /** Wall-clock budget in seconds; the learning rate decays over whichever limit comes first. */
  timeBudgetSeconds: number;
  /** Peak learning rate of Adam. */
  learningRate: number;
  /** Learning rate at the end of the cosine decay. */
  finalLearningRate: number;
  /** Steps of linear warm-up. */
  warmupSteps: number;
  /** Probability of replacing a label by the null label (classifier-free guidance training). */
  labelDropout: number;
  /** EMA decay per step (its warm-up uses min(decay, (1 + step)/(10 + step))). */
  emaDecay: number;
  /** Min-SNR-γ loss weighting (Hang et al. 2023), 0 for the plain DDPM loss. */
  minSnrGamma: number;
}

/** fit's progress (step, loss, seconds, learningRate, ETA…). */
export type DiffusionProgress = FitProgress;

export interface DiffusionHistory extends FitHistory {
  /** Training images seen (the same as `items`). */
  images: number;
}

/** Per-image loss weights: min(SNR_t, γ)/SNR_t for ε-prediction, SNR_t = ᾱ_t/(1 − ᾱ_t); 1 when γ = 0. */
export function lossWeights(schedule: NoiseSchedule, t: ArrayLike<number>, gamma: number): Float32Array {
  return Float32Array.from(t, (step) => {
    if (gamma <= 0) return 1;
    const ab = schedule.alphaBar[step]!, snr = ab / (1 - ab);
    return Math.min(snr, gamma) / snr;
  });
}

/**
 * The training loss on one batch: mean over images of w_t·‖ε − ε̂(x_t, t, y)‖²/D, with t, ε and the
 * label dropout drawn from `rng`. x0: [B, 28, 28, 1] in [−1, 1], labels: B digits.
 */
export function diffusionLoss(
  model: DiffusionUnet, schedule: NoiseSchedule, x0: tf.Tensor4D, labels: ArrayLike<number>, rng: Rng,
  config: Pick<DiffusionTrainConfig, "labelDropout" | "minSnrGamma">,
): tf.Scalar {
  const [b, h, w, c] = x0.shape;
  const t = Int32Array.from({ length: b }, () => rng.int(schedule.steps));
  const y = Int32Array.from(labels, (l) => (rng.uniform() < config.labelDropout ? model.config.classes : l));
  const noise = tf.tensor4d(Float32Array.from({ length: b * h * w * c }, () => rng.normal()), [b, h, w, c]);
  return tf.tidy(() => {
    const xt = qSampleAt(schedule, x0, noise, t); //                         [B, 28, 28, 1]
    const perPixel = tf.square(tf.sub(model.predict(xt, t, y), noise)); //   [B, 28, 28, 1]
    const weights = perImage(lossWeights(schedule, t, config.minSnrGamma), t.map((_, i) => i)); // [B, 1, 1, 1]
    noise.dispose();
    return tf.mean(tf.mul(perPixel, weights)) as tf.Scalar;
  });
}

/** Blend every EMA weight towards the model's: ema ← d·ema + (1 − d)·θ. */
export function updateEma(ema: DiffusionUnet, model: DiffusionUnet, decay: number): void {
  const target = ema.params.vars, source = model.params.vars;
  if (target.length !== source.length) throw new CourseError("updateEma: the EMA model and the model have different parameters.");
  tf.tidy(() => target.forEach((v, i) => v.assign(tf.add(tf.mul(v, decay), tf.mul(source[i]!, 1 - decay)))));
}

/** The step function: one Adam step on a batch's diffusion loss, then the EMA update. */
export function diffusionStep(
  model: DiffusionUnet, ema: DiffusionUnet, schedule: NoiseSchedule, batches: MnistBatches, rng: Rng,
  config: DiffusionTrainConfig, optimizer: Adam,
): TrainStep {
  return async (step, learningRate) => {
    optimizer.setLearningRate(learningRate);
    const batch = batches.next(config.batchSize);
    const labels = batch.digits;
    const x0 = toSigned(batch.images); //                                       [B, 28, 28, 1] in [−1, 1]
    tf.dispose([batch.images, batch.labels]);
    const loss = optimizer.minimize(() => diffusionLoss(model, schedule, x0, labels, rng, config), true, model.params.vars)!;
    x0.dispose();
    const value = (await loss.data())[0]!;
    loss.dispose();
    updateEma(ema, model, Math.min(config.emaDecay, (1 + step) / (10 + step)));
    return { loss: value, items: config.batchSize };
  };
}

/**
 * Train `model` (and its EMA twin `ema`, built with the same config) on MNIST batches until
 * `steps` or `timeBudgetSeconds`, warm-up then cosine decay; calls `onProgress` after every step.
 */
export async function trainDiffusion(
  model: DiffusionUnet, ema: DiffusionUnet, schedule: NoiseSchedule, batches: MnistBatches, rng: Rng,
  config: DiffusionTrainConfig, onProgress: (p: DiffusionProgress) => void = () => {},
): Promise<DiffusionHistory> {
  checkTrainSettings(config, "trainDiffusion");
  const optimizer = adam(config.learningRate);
  try {
    const history = await fit(diffusionStep(model, ema, schedule, batches, rng, config, optimizer), {
      steps: config.steps, timeBudgetSeconds: config.timeBudgetSeconds, unit: "img", name: "trainDiffusion",
      schedule: cosineSchedule(config.learningRate, config.finalLearningRate, config.steps, config.warmupSteps),
      onProgress,
    });
    return { ...history, images: history.items };
  } finally {
    optimizer.dispose();
  }
}
