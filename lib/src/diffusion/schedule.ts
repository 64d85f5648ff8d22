/**
 * The forward (noising) process of a diffusion model (Ho et al. 2020, "DDPM"):
 *   q(x_t | x_0) = N(√ᾱ_t·x_0, (1 − ᾱ_t)·I),   ᾱ_t = ∏_{s ≤ t} (1 − β_s).
 * Timesteps run 0 … T−1 here (index t is the paper's t + 1).
 */
import { assertShape, CourseError } from "../errors";
import { tf } from "../tf";

/** Which β schedule: linear 1e-4 … 0.02 (DDPM) or cosine (Nichol & Dhariwal 2021). */
export type ScheduleKind = "linear" | "cosine";

/** A noise schedule: β_t, α_t = 1 − β_t and ᾱ_t, each of length T. */
export interface NoiseSchedule {
  kind: ScheduleKind;
  /** Number of noise levels T. */
  steps: number;
  betas: Float64Array;
  alphas: Float64Array;
  alphaBar: Float64Array;
}

/** α_t = 1 − β_t and ᾱ_t = α_0·α_1·…·α_t from the betas. */
export function alphasFromBetas(betas: ArrayLike<number>): { alphas: Float64Array; alphaBar: Float64Array } {
  const alphas = Float64Array.from(betas, (b) => 1 - b);
  const alphaBar = new Float64Array(alphas.length);
  let prod = 1;
  alphas.forEach((a, t) => {
    prod *= a;
    alphaBar[t] = prod;
  });
  return { alphas, alphaBar };
}

/** β_t for T steps: linear from 1e-4 to 0.02, or from the cosine ᾱ curve (β clipped at 0.999). */
export function makeBetas(kind: ScheduleKind, steps: number): Float64Array {
  if (!(Number.isInteger(steps) && steps >= 2)) {
    throw new CourseError(`A noise schedule needs an integer number of steps ≥ 2, got ${steps}.`);
  }
  if (kind === "linear") {
    // Ho et al. use 1e-4 … 0.02 for T = 1000; scaling by 1000/T keeps ᾱ_T similar for other T.
    const scale = 1000 / steps;
    return Float64Array.from({ length: steps }, (_, i) => scale * (1e-4 + ((0.02 - 1e-4) * i) / (steps - 1)));
  }
  if (kind === "cosine") {
    // ᾱ(t) = f(t)/f(0), f(t) = cos²((t/T + s)/(1 + s)·π/2), s = 0.008  (Nichol & Dhariwal, eq. 17)
    const f = (t: number) => Math.cos(((t / steps + 0.008) / 1.008) * (Math.PI / 2)) ** 2;
    return Float64Array.from({ length: steps }, (_, i) => Math.min(0.999, 1 - f(i + 1) / f(i)));
  }
  throw new CourseError(`Unknown schedule kind "${String(kind)}"; use "linear" or "cosine".`);
}

/** The full schedule of a kind and length. */
export function noiseSchedule(kind: ScheduleKind, steps: number): NoiseSchedule {
  const betas = makeBetas(kind, steps);
  return { kind, steps, betas, ...alphasFromBetas(betas) };
}

/** Per-image factors [B] gathered from a table at the timesteps t, as [B, 1, 1, 1]. */
export function perImage(table: ArrayLike<number>, t: ArrayLike<number>): tf.Tensor4D {
  const values = Float32Array.from(t, (step) => {
    const v = table[step];
    if (v === undefined) throw new CourseError(`Timestep ${step} is outside the schedule (0 … ${table.length - 1}).`);
    return v;
  });
  return tf.tensor4d(values, [values.length, 1, 1, 1]); //                    [B, 1, 1, 1]
}

/**
 * Sample x_t ~ q(x_t | x_0) with given noise: x_t = √ᾱ·x_0 + √(1 − ᾱ)·ε  (DDPM, eq. 4), where
 * image b has its own ᾱ = alphaBar[b]. Lesson 08's exercise `qSample` re-derives this function.
 * x0, noise: [B, H, W, C]; alphaBar: B numbers → [B, H, W, C].
 */
export function qSample(x0: tf.Tensor4D, noise: tf.Tensor4D, alphaBar: readonly number[]): tf.Tensor4D {
  assertShape(noise.shape, x0.shape, "qSample noise");
  if (alphaBar.length !== x0.shape[0]) throw new CourseError(`qSample: ${alphaBar.length} values of ᾱ for a batch of ${x0.shape[0]} images.`);
  return tf.tidy(() => {
    const a = tf.tensor4d(alphaBar.map(Math.sqrt), [alphaBar.length, 1, 1, 1]); //            [B, 1, 1, 1]
    const s = tf.tensor4d(alphaBar.map((ab) => Math.sqrt(1 - ab)), [alphaBar.length, 1, 1, 1]); // [B, 1, 1, 1]
    return tf.add(tf.mul(a, x0), tf.mul(s, noise));
  });
}

/** `qSample` at timesteps t of a schedule: ᾱ_t looked up for each image. t: B timesteps. */
export function qSampleAt(schedule: NoiseSchedule, x0: tf.Tensor4D, noise: tf.Tensor4D, t: ArrayLike<number>): tf.Tensor4D {
  if (t.length !== x0.shape[0]) throw new CourseError(`qSampleAt: ${t.length} timesteps for a batch of ${x0.shape[0]} images.`);
  const alphaBar = Array.from(t, (step) => {
    const v = schedule.alphaBar[step];
    if (v === undefined) throw new CourseError(`Timestep ${step} is outside the schedule (0 … ${schedule.alphaBar.length - 1}).`);
    return v;
  });
  return qSample(x0, noise, alphaBar);
}
