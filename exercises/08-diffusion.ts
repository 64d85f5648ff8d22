// Exercise file generated from solutions/08-diffusion.ts by `npm run exercises`.
// Replace each TODO + throw with your code; `npm run grade` checks it. The generator never
// overwrites this file once you have changed it.
/**
 * Lesson 08 — diffusion on MNIST: the noise schedule, the forward process q(x_t | x_0), one
 * ancestral DDPM step, one deterministic DDIM step, and classifier-free guidance.
 */
import { NotImplementedError, tf } from "@course/lib";

/**
 * From the betas β_0 … β_{T−1} of a noise schedule: α_t = 1 − β_t and the running product
 * ᾱ_t = α_0·α_1·…·α_t (the fraction of the signal's variance left at step t).
 * Library twin: `alphasFromBetas` from @course/lib is the same function (scripts/test/twins.test.ts checks it); calling it here earns no points.
 */
export function alphasFromBetas(betas: readonly number[]): { alphas: number[]; alphaBar: number[] } {
  // TODO(08.noise-schedule): write alphasFromBetas — notebooks/08-diffusion.ipynb, section "2. The noise schedule" explains it.
  throw new NotImplementedError("08.noise-schedule", "exercises/08-diffusion.ts", "alphasFromBetas", "notebooks/08-diffusion.ipynb, section \"2. The noise schedule\"");
}

/**
 * The forward process in one jump: x_t = √ᾱ_t·x_0 + √(1 − ᾱ_t)·ε, where each image b has its own
 * ᾱ (alphaBar[b], the schedule's value at that image's timestep).
 * x0, noise: [B, H, W, C]; alphaBar: B numbers → [B, H, W, C]
 * Library twin: `qSample` from @course/lib is the same function (scripts/test/twins.test.ts checks it); calling it here earns no points.
 */
export function qSample(x0: tf.Tensor4D, noise: tf.Tensor4D, alphaBar: readonly number[]): tf.Tensor4D {
  // TODO(08.q-sample): write qSample — notebooks/08-diffusion.ipynb, section "3. Noising in one jump" explains it.
  throw new NotImplementedError("08.q-sample", "exercises/08-diffusion.ts", "qSample", "notebooks/08-diffusion.ipynb, section \"3. Noising in one jump\"");
}

/**
 * One ancestral (DDPM) step from timestep t to an earlier one, for a whole batch at the same t:
 *   x̂_0 = (x_t − √(1 − ᾱ_t)·ε̂)/√ᾱ_t, clipped to [−1, 1];   β = 1 − ᾱ_t/ᾱ_prev;
 *   mean = √ᾱ_prev·β/(1 − ᾱ_t)·x̂_0 + √(1 − β)·(1 − ᾱ_prev)/(1 − ᾱ_t)·x_t;
 *   σ² = β·(1 − ᾱ_prev)/(1 − ᾱ_t);   x_prev = mean + σ·z.
 * xt, epsHat, z: [B, 28, 28, 1] → [B, 28, 28, 1]
 * Library twin: `ddpmStep` from @course/lib computes the same (scripts/test/twins.test.ts checks it); calling it here earns no points.
 */
export function ddpmUpdate(xt: tf.Tensor4D, epsHat: tf.Tensor4D, alphaBarT: number, alphaBarPrev: number, z: tf.Tensor4D): tf.Tensor4D {
  // TODO(08.ddpm-step): write ddpmUpdate — notebooks/08-diffusion.ipynb, section "5. DDPM: ancestral sampling" explains it.
  throw new NotImplementedError("08.ddpm-step", "exercises/08-diffusion.ts", "ddpmUpdate", "notebooks/08-diffusion.ipynb, section \"5. DDPM: ancestral sampling\"");
}

/**
 * One deterministic DDIM step from timestep t to an earlier one, for a whole batch at the same t:
 *   x̂_0 = (x_t − √(1 − ᾱ_t)·ε̂)/√ᾱ_t, clipped to [−1, 1];
 *   ε̂' = (x_t − √ᾱ_t·x̂_0)/√(1 − ᾱ_t)   (the noise that agrees with the clipped x̂_0);
 *   x_prev = √ᾱ_prev·x̂_0 + √(1 − ᾱ_prev)·ε̂'.
 * xt, epsHat: [B, 28, 28, 1] → [B, 28, 28, 1]
 * Library twin: `ddimStep` from @course/lib computes the same (scripts/test/twins.test.ts checks it); calling it here earns no points.
 */
export function ddimUpdate(xt: tf.Tensor4D, epsHat: tf.Tensor4D, alphaBarT: number, alphaBarPrev: number): tf.Tensor4D {
  // TODO(08.ddim-step): write ddimUpdate — notebooks/08-diffusion.ipynb, section "6. DDIM: fewer, deterministic steps" explains it.
  throw new NotImplementedError("08.ddim-step", "exercises/08-diffusion.ts", "ddimUpdate", "notebooks/08-diffusion.ipynb, section \"6. DDIM: fewer, deterministic steps\"");
}

/**
 * Classifier-free guidance: ε̂ = ε̂_u + w·(ε̂_c − ε̂_u), from the conditional prediction ε̂_c and the
 * unconditional one ε̂_u. w = 1 gives ε̂_c, w = 0 gives ε̂_u, w > 1 moves further towards the class.
 * epsCond, epsUncond: [B, 28, 28, 1] → [B, 28, 28, 1]
 * Library twin: `classifierFreeGuidance` from @course/lib computes the same (scripts/test/twins.test.ts checks it); calling it here earns no points.
 */
export function guide(epsCond: tf.Tensor4D, epsUncond: tf.Tensor4D, w: number): tf.Tensor4D {
  // TODO(08.guidance): write guide — notebooks/08-diffusion.ipynb, section "7. Classifier-free guidance" explains it.
  throw new NotImplementedError("08.guidance", "exercises/08-diffusion.ts", "guide", "notebooks/08-diffusion.ipynb, section \"7. Classifier-free guidance\"");
}
