/**
 * Training the denoiser (DDPM, Algorithm 1): draw x_0 from the data, t uniformly, ε ~ N(0, I);
 * make x_t = √ᾱ_t·x_0 + √(1 − ᾱ_t)·ε and regress ε̂(x_t, t, y) on ε. For classifier-free
 * guidance the label y is replaced by the null label with probability `labelDropout`, so one
 * network learns both ε̂(x_t, t, y) and ε̂(x_t, t). An exponential moving average (EMA) of the
 * weights is what samples best after short training.
 */
import { CourseError } from "../errors";
import type { MnistBatches } from "../nn/mnist-batches";
import { adam } from "../nn/layers";
import type { Rng } from "../random";
import { tf } from "../setup";
import { type NoiseSchedule, perImage, qSampleAt } from "./schedule";
import type { DiffusionUnet } from "./unet";
import { yieldToEventLoop } from "../timing";

export interface DiffusionTrainConfig {
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

export interface DiffusionProgress {
  step: number;
  loss: number;
  seconds: number;
  learningRate: number;
}

export interface DiffusionHistory {
  loss: number[];
  steps: number;
  seconds: number;
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

/** Learning rate at `progress` ∈ [0, 1] of the run (after warm-up): half a cosine from peak to final. */
function rateAt(config: DiffusionTrainConfig, step: number, progress: number): number {
  if (step < config.warmupSteps) return (config.learningRate * (step + 1)) / config.warmupSteps;
  const { learningRate: peak, finalLearningRate: final } = config;
  return final + 0.5 * (peak - final) * (1 + Math.cos(Math.PI * Math.min(1, progress)));
}

/**
 * Train `model` (and its EMA twin `ema`, built with the same config) on MNIST batches until
 * `steps` or `timeBudgetSeconds`; calls `onProgress` after every step.
 */
export async function trainDiffusion(
  model: DiffusionUnet, ema: DiffusionUnet, schedule: NoiseSchedule, batches: MnistBatches, rng: Rng,
  config: DiffusionTrainConfig, onProgress: (p: DiffusionProgress) => void = () => {},
): Promise<DiffusionHistory> {
  const optimizer = adam(config.learningRate);
  const history: DiffusionHistory = { loss: [], steps: 0, seconds: 0, images: 0 };
  const start = performance.now();
  try {
    for (let step = 0; step < config.steps; step++) {
      const seconds = (performance.now() - start) / 1000;
      if (step > 0 && seconds >= config.timeBudgetSeconds) break;
      const learningRate = rateAt(config, step, Math.max(step / config.steps, seconds / config.timeBudgetSeconds));
      (optimizer as unknown as { learningRate: number }).learningRate = learningRate;
      const batch = batches.next(config.batchSize);
      const labels = await batch.labels.data();
      const x0 = tf.tidy(() => tf.sub(tf.mul(batch.images, 2), 1) as tf.Tensor4D); // [B, 28, 28, 1] in [−1, 1]
      tf.dispose([batch.images, batch.labels]);
      const loss = optimizer.minimize(() => diffusionLoss(model, schedule, x0, labels, rng, config), true, model.params.vars)!;
      x0.dispose();
      const value = (await loss.data())[0]!;
      loss.dispose();
      updateEma(ema, model, Math.min(config.emaDecay, (1 + step) / (10 + step)));
      history.loss.push(value);
      history.steps = step + 1;
      history.images += config.batchSize;
      history.seconds = (performance.now() - start) / 1000;
      onProgress({ step: step + 1, loss: value, seconds: history.seconds, learningRate });
      // Give the event loop a turn: a notebook's display update must go out before the next one.
      await yieldToEventLoop();
    }
  } finally {
    optimizer.dispose();
  }
  return history;
}
