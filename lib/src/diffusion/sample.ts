/**
 * Sampling: start from pure noise x_T ~ N(0, I) and denoise step by step.
 *  - DDPM ancestral sampling (Ho et al. 2020, Algorithm 2), here on any subsequence of the
 *    timesteps ("respacing"): each step draws x_prev from the posterior q(x_prev | x_t, x̂_0).
 *  - DDIM (Song et al. 2021, eq. 12 with σ = 0): deterministic, and good with 10–25 steps.
 * Both predict x̂_0 = (x_t − √(1 − ᾱ_t)·ε̂)/√ᾱ_t, clip it to [−1, 1] (pixels live there) and use
 * ε̂ recomputed from the clipped x̂_0.
 * Guidance (Ho & Salimans 2022): ε̂ = ε̂(x_t, t) + w·(ε̂(x_t, t, y) − ε̂(x_t, t)); w = 1 is the
 * plain conditional model, w = 0 the unconditional one, w > 1 pushes towards the class.
 */
import { CourseError } from "../errors";
import type { Rng } from "../random";
import { tf } from "../tf";
import type { NoiseSchedule } from "./schedule";
import type { DiffusionUnet } from "./unet";

/** ε̂ = ε_u + w·(ε_c − ε_u). */
export function classifierFreeGuidance<T extends tf.Tensor>(epsCond: T, epsUncond: T, w: number): T {
  return tf.tidy(() => tf.add(epsUncond, tf.mul(tf.sub(epsCond, epsUncond), w)));
}

/** x̂_0 from x_t and ε̂, clipped to [−1, 1], and the ε̂ consistent with the clipped x̂_0. */
export function predictX0(xt: tf.Tensor4D, eps: tf.Tensor4D, alphaBarT: number): { x0: tf.Tensor4D; eps: tf.Tensor4D } {
  return tf.tidy(() => {
    const x0 = tf.clipByValue(tf.div(tf.sub(xt, tf.mul(eps, Math.sqrt(1 - alphaBarT))), Math.sqrt(alphaBarT)), -1, 1) as tf.Tensor4D;
    const epsClipped = tf.div(tf.sub(xt, tf.mul(x0, Math.sqrt(alphaBarT))), Math.sqrt(1 - alphaBarT)) as tf.Tensor4D;
    return { x0, eps: epsClipped };
  });
}

/** One DDIM step (σ = 0): x_prev = √ᾱ_prev·x̂_0 + √(1 − ᾱ_prev)·ε̂. ᾱ_prev = 1 ends at x̂_0. */
export function ddimStep(xt: tf.Tensor4D, eps: tf.Tensor4D, alphaBarT: number, alphaBarPrev: number): tf.Tensor4D {
  return tf.tidy(() => {
    const p = predictX0(xt, eps, alphaBarT);
    return tf.add(tf.mul(p.x0, Math.sqrt(alphaBarPrev)), tf.mul(p.eps, Math.sqrt(1 - alphaBarPrev)));
  });
}

/**
 * One ancestral step from t to prev: the posterior mean of q(x_prev | x_t, x̂_0) plus σ·z with
 * β = 1 − ᾱ_t/ᾱ_prev, σ² = β·(1 − ᾱ_prev)/(1 − ᾱ_t)  (DDPM eq. 6–7).  z: [B, 28, 28, 1].
 */
export function ddpmStep(xt: tf.Tensor4D, eps: tf.Tensor4D, alphaBarT: number, alphaBarPrev: number, z: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const { x0 } = predictX0(xt, eps, alphaBarT);
    const beta = 1 - alphaBarT / alphaBarPrev;
    const cx0 = (Math.sqrt(alphaBarPrev) * beta) / (1 - alphaBarT);
    const cxt = (Math.sqrt(1 - beta) * (1 - alphaBarPrev)) / (1 - alphaBarT);
    const sigma = Math.sqrt((beta * (1 - alphaBarPrev)) / (1 - alphaBarT));
    return tf.add(tf.add(tf.mul(x0, cx0), tf.mul(xt, cxt)), tf.mul(z, sigma));
  });
}

/** S timesteps from T − 1 down, evenly spaced ("trailing": the first is always T − 1). */
export function samplingTimesteps(totalSteps: number, samplingSteps: number): number[] {
  if (!(Number.isInteger(samplingSteps) && samplingSteps >= 1 && samplingSteps <= totalSteps)) {
    throw new CourseError(`Sampling steps must be an integer 1 … ${totalSteps} (the schedule's T), got ${samplingSteps}.`);
  }
  return Array.from({ length: samplingSteps }, (_, i) => Math.round(totalSteps - (i * totalSteps) / samplingSteps) - 1);
}

export interface DiffusionSampleOptions {
  /** Denoising steps S (≤ T). */
  steps: number;
  /** Guidance weight w (1: conditional only, one network pass per step). */
  guidance?: number;
  /** "ddim" (deterministic) or "ddpm" (ancestral, fresh noise every step). */
  method?: "ddim" | "ddpm";
  /** Called after each step with x_prev and the clipped x̂_0 (both disposed after the call). */
  onStep?: (step: number, t: number, x: tf.Tensor4D, x0: tf.Tensor4D) => void;
}

/** ε̂ with guidance: one pass with labels when w = 1, else one pass on [x; x] with [y; null]. */
export function guidedEps(model: DiffusionUnet, x: tf.Tensor4D, t: number, labels: ArrayLike<number>, w: number): tf.Tensor4D {
  const b = x.shape[0], ts = new Int32Array(b).fill(t);
  if (w === 1) return model.predict(x, ts, labels);
  const nulls = new Int32Array(b).fill(model.config.classes);
  return tf.tidy(() => {
    const both = model.predict(tf.concat([x, x]), new Int32Array(2 * b).fill(t), [...Array.from(labels), ...nulls]); // [2B, 28, 28, 1]
    const [cond, uncond] = tf.split(both, 2);
    return classifierFreeGuidance(cond as tf.Tensor4D, uncond as tf.Tensor4D, w);
  });
}

/** Normal noise [n, 28, 28, 1] from `rng`. */
export function noiseImages(n: number, rng: Rng): tf.Tensor4D {
  return tf.tensor4d(Float32Array.from({ length: n * 784 }, () => rng.normal()), [n, 28, 28, 1]);
}

/**
 * Generate one image per label (use the null label `classes` for unconditional images), in
 * [−1, 1]: [N, 28, 28, 1].
 */
export function sampleImages(
  model: DiffusionUnet, schedule: NoiseSchedule, labels: ArrayLike<number>, rng: Rng, options: DiffusionSampleOptions,
): tf.Tensor4D {
  const w = options.guidance ?? 1, method = options.method ?? "ddim";
  const ts = samplingTimesteps(schedule.steps, options.steps);
  let x = noiseImages(labels.length, rng);
  ts.forEach((t, i) => {
    const abT = schedule.alphaBar[t]!, abPrev = i + 1 < ts.length ? schedule.alphaBar[ts[i + 1]!]! : 1;
    const next = tf.tidy(() => {
      const eps = guidedEps(model, x, t, labels, w);
      if (options.onStep) {
        const { x0 } = predictX0(x, eps, abT);
        options.onStep(i, t, x, x0);
      }
      return method === "ddim" ? ddimStep(x, eps, abT, abPrev) : ddpmStep(x, eps, abT, abPrev, noiseImages(labels.length, rng));
    });
    x.dispose();
    x = next;
  });
  return x;
}

/** Like sampleImages, in batches of `batchSize` (for the thousands of images FID needs). */
export function sampleMany(
  model: DiffusionUnet, schedule: NoiseSchedule, labels: ArrayLike<number>, rng: Rng, options: DiffusionSampleOptions, batchSize = 250,
): tf.Tensor4D {
  const parts: tf.Tensor4D[] = [];
  for (let i = 0; i < labels.length; i += batchSize) {
    parts.push(sampleImages(model, schedule, Array.from(labels).slice(i, i + batchSize), rng, options));
  }
  const all = tf.concat(parts) as tf.Tensor4D; //                            [N, 28, 28, 1]
  tf.dispose(parts);
  return all;
}
