/**
 * Lesson 08 — diffusion on MNIST: the noise schedule, the forward process q(x_t | x_0), one
 * ancestral DDPM step, one deterministic DDIM step, and classifier-free guidance.
 */
import { tf } from "@course/lib";

/**
 * From the betas β_0 … β_{T−1} of a noise schedule: α_t = 1 − β_t and the running product
 * ᾱ_t = α_0·α_1·…·α_t (the fraction of the signal's variance left at step t).
 * Library twin: `alphasFromBetas` from @course/lib is the same function (scripts/test/twins.test.ts checks it); calling it here earns no points.
 */
export function alphasFromBetas(betas: readonly number[]): { alphas: number[]; alphaBar: number[] } {
  // BEGIN SOLUTION exercise=08.noise-schedule section="2. The noise schedule"
  const alphas = betas.map((b) => 1 - b);
  const alphaBar: number[] = [];
  let product = 1;
  for (const a of alphas) {
    product *= a;
    alphaBar.push(product);
  }
  return { alphas, alphaBar };
  // END SOLUTION
}

/**
 * The forward process in one jump: x_t = √ᾱ_t·x_0 + √(1 − ᾱ_t)·ε, where each image b has its own
 * ᾱ (alphaBar[b], the schedule's value at that image's timestep).
 * x0, noise: [B, H, W, C]; alphaBar: B numbers → [B, H, W, C]
 * Library twin: `qSample` from @course/lib is the same function (scripts/test/twins.test.ts checks it); calling it here earns no points.
 */
export function qSample(x0: tf.Tensor4D, noise: tf.Tensor4D, alphaBar: readonly number[]): tf.Tensor4D {
  // BEGIN SOLUTION exercise=08.q-sample section="3. Noising in one jump"
  return tf.tidy(() => {
    const ab = tf.tensor4d(Array.from(alphaBar), [alphaBar.length, 1, 1, 1]); // [B, 1, 1, 1]: broadcasts over H, W, C
    return tf.add(tf.mul(tf.sqrt(ab), x0), tf.mul(tf.sqrt(tf.sub(1, ab)), noise));
  });
  // END SOLUTION
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
  // BEGIN SOLUTION exercise=08.ddpm-step section="5. DDPM: ancestral sampling"
  return tf.tidy(() => {
    const x0 = tf.clipByValue(tf.div(tf.sub(xt, tf.mul(epsHat, Math.sqrt(1 - alphaBarT))), Math.sqrt(alphaBarT)), -1, 1);
    const beta = 1 - alphaBarT / alphaBarPrev;
    const mean = tf.add(
      tf.mul(x0, (Math.sqrt(alphaBarPrev) * beta) / (1 - alphaBarT)),
      tf.mul(xt, (Math.sqrt(1 - beta) * (1 - alphaBarPrev)) / (1 - alphaBarT)),
    );
    return tf.add(mean, tf.mul(z, Math.sqrt((beta * (1 - alphaBarPrev)) / (1 - alphaBarT)))) as tf.Tensor4D;
  });
  // END SOLUTION
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
  // BEGIN SOLUTION exercise=08.ddim-step section="6. DDIM: fewer, deterministic steps"
  return tf.tidy(() => {
    const x0 = tf.clipByValue(tf.div(tf.sub(xt, tf.mul(epsHat, Math.sqrt(1 - alphaBarT))), Math.sqrt(alphaBarT)), -1, 1);
    const eps = tf.div(tf.sub(xt, tf.mul(x0, Math.sqrt(alphaBarT))), Math.sqrt(1 - alphaBarT));
    return tf.add(tf.mul(x0, Math.sqrt(alphaBarPrev)), tf.mul(eps, Math.sqrt(1 - alphaBarPrev))) as tf.Tensor4D;
  });
  // END SOLUTION
}

/**
 * Classifier-free guidance: ε̂ = ε̂_u + w·(ε̂_c − ε̂_u), from the conditional prediction ε̂_c and the
 * unconditional one ε̂_u. w = 1 gives ε̂_c, w = 0 gives ε̂_u, w > 1 moves further towards the class.
 * epsCond, epsUncond: [B, 28, 28, 1] → [B, 28, 28, 1]
 * Library twin: `classifierFreeGuidance` from @course/lib computes the same (scripts/test/twins.test.ts checks it); calling it here earns no points.
 */
export function guide(epsCond: tf.Tensor4D, epsUncond: tf.Tensor4D, w: number): tf.Tensor4D {
  // BEGIN SOLUTION exercise=08.guidance section="7. Classifier-free guidance"
  return tf.tidy(() => tf.add(epsUncond, tf.mul(tf.sub(epsCond, epsUncond), w)));
  // END SOLUTION
}
