/** Probes for lesson 08: each runs one exercise on seeded inputs, inside the grader's probe process. */
import {
  tf, normalTensor, DiffusionUnet, Rng, UNET_CONFIGS, alphasFromBetas, classifierFreeGuidance, ddimStep, guidedEps, noiseSchedule,
  ddpmStep, qSample, sampleImages, samplingTimesteps, noiseImages,
} from "@course/lib";
import type { LessonModule } from "@course/lib";

/** Seeded images in [−1, 1] with some pixels at ±1 exactly and some beyond (to exercise clipping). */
function images(shape: [number, number, number, number], rng: Rng, scale = 0.8): tf.Tensor4D {
  return tf.tidy(() => tf.clipByValue(normalTensor<tf.Rank.R4>(shape, scale, rng), -1.2, 1.2) as tf.Tensor4D);
}

export const probes = {
  schedule: (m: LessonModule, input: { T: number; seed: number }) => {
    const rng = new Rng(input.seed);
    const betas = Array.from({ length: input.T }, () => 1e-4 + 0.05 * rng.uniform());
    const mine = m.alphasFromBetas(betas) as { alphas: number[]; alphaBar: number[] };
    const library = alphasFromBetas(betas);
    return { alphas: Array.from(mine.alphas), alphaBar: Array.from(mine.alphaBar), libraryAlphaBar: Array.from(library.alphaBar) };
  },

  qSample: (m: LessonModule, input: { shape: [number, number, number, number]; seed: number; alphaBar?: number[] }) => {
    const rng = new Rng(input.seed);
    const x0 = images(input.shape, rng), noise = normalTensor<tf.Rank.R4>(input.shape, 1, rng);
    const alphaBar = input.alphaBar ?? Array.from({ length: input.shape[0] }, () => rng.uniform());
    try {
      const out = m.qSample(x0, noise, alphaBar) as tf.Tensor4D;
      const library = qSample(x0, noise, alphaBar); // the library's twin, same signature
      return { out, library, x0: x0.clone(), noise: noise.clone() };
    } finally {
      tf.dispose([x0, noise]);
    }
  },

  /** Mean and variance of x_t over many pixels for x_0 = 0.5 everywhere: √ᾱ·0.5 and 1 − ᾱ. */
  qStats: (m: LessonModule, input: { alphaBar: number; seed: number }) => {
    const x0 = tf.fill([64, 28, 28, 1], 0.5) as tf.Tensor4D, noise = normalTensor<tf.Rank.R4>([64, 28, 28, 1], 1, new Rng(input.seed));
    try {
      const out = m.qSample(x0, noise, new Array(64).fill(input.alphaBar)) as tf.Tensor4D;
      const { mean, variance } = tf.moments(out);
      const result = { mean: mean.dataSync()[0]!, variance: variance.dataSync()[0]! };
      tf.dispose([out, mean, variance]);
      return result;
    } finally {
      tf.dispose([x0, noise]);
    }
  },

  ddim: (m: LessonModule, input: { shape: [number, number, number, number]; seed: number; alphaBarT: number; alphaBarPrev: number }) => {
    const rng = new Rng(input.seed);
    const x0 = images(input.shape, rng, 0.6), eps = normalTensor<tf.Rank.R4>(input.shape, 1, rng);
    const epsHat = tf.tidy(() => tf.add(eps, normalTensor(input.shape, 0.3, rng)) as tf.Tensor4D);
    const xt = tf.tidy(() => tf.add(tf.mul(x0, Math.sqrt(input.alphaBarT)), tf.mul(eps, Math.sqrt(1 - input.alphaBarT))) as tf.Tensor4D);
    const clean = tf.tidy(() => tf.clipByValue(x0, -1, 1) as tf.Tensor4D);
    const exactT = tf.tidy(() => tf.add(tf.mul(clean, Math.sqrt(input.alphaBarT)), tf.mul(eps, Math.sqrt(1 - input.alphaBarT))) as tf.Tensor4D);
    try {
      const out = m.ddimUpdate(xt, epsHat, input.alphaBarT, input.alphaBarPrev) as tf.Tensor4D;
      const library = ddimStep(xt, epsHat, input.alphaBarT, input.alphaBarPrev);
      // with the true noise and an x_0 inside [−1, 1], the step lands exactly on q's x_prev
      const exact = m.ddimUpdate(exactT, eps, input.alphaBarT, input.alphaBarPrev) as tf.Tensor4D;
      const target = tf.tidy(() => tf.add(tf.mul(clean, Math.sqrt(input.alphaBarPrev)), tf.mul(eps, Math.sqrt(1 - input.alphaBarPrev))));
      const toX0 = m.ddimUpdate(xt, epsHat, input.alphaBarT, 1) as tf.Tensor4D;
      return { out, library, exact, target, toX0 };
    } finally {
      tf.dispose([x0, eps, epsHat, xt, clean, exactT]);
    }
  },

  ddpm: (m: LessonModule, input: { shape: [number, number, number, number]; seed: number; alphaBarT: number; alphaBarPrev: number }) => {
    const rng = new Rng(input.seed);
    const xt = normalTensor<tf.Rank.R4>(input.shape, 1, rng), epsHat = normalTensor<tf.Rank.R4>(input.shape, 1, rng);
    const z = normalTensor<tf.Rank.R4>(input.shape, 1, rng), zero = tf.zerosLike(z) as tf.Tensor4D;
    try {
      const out = m.ddpmUpdate(xt, epsHat, input.alphaBarT, input.alphaBarPrev, z) as tf.Tensor4D;
      const mean = m.ddpmUpdate(xt, epsHat, input.alphaBarT, input.alphaBarPrev, zero) as tf.Tensor4D;
      const library = ddpmStep(xt, epsHat, input.alphaBarT, input.alphaBarPrev, z);
      const last = m.ddpmUpdate(xt, epsHat, input.alphaBarT, 1, z) as tf.Tensor4D;
      const lastDdim = ddimStep(xt, epsHat, input.alphaBarT, 1);
      return { out, mean, library, last, lastDdim, z: z.clone() };
    } finally {
      tf.dispose([xt, epsHat, z, zero]);
    }
  },

  /** A 4-step DDIM run of a tiny seeded (untrained) U-Net, stepping with the learner's ddimUpdate. */
  ddimRun: (m: LessonModule, input: { seed: number; steps: number }) => {
    const schedule = noiseSchedule("linear", 100);
    const model = new DiffusionUnet(UNET_CONFIGS.smoke, new Rng(input.seed));
    const labels = [3, 7, 10];
    try {
      const ts = samplingTimesteps(schedule.steps, input.steps);
      let x = noiseImages(labels.length, new Rng(input.seed + 1));
      ts.forEach((t, i) => {
        const abPrev = i + 1 < ts.length ? schedule.alphaBar[ts[i + 1]!]! : 1;
        const next = tf.tidy(() => m.ddimUpdate(x, guidedEps(model, x, t, labels, 1), schedule.alphaBar[t]!, abPrev) as tf.Tensor4D);
        x.dispose();
        x = next;
      });
      const library = sampleImages(model, schedule, labels, new Rng(input.seed + 1), { steps: input.steps });
      return { out: x, library };
    } finally {
      model.dispose();
    }
  },

  guidance: (m: LessonModule, input: { shape: [number, number, number, number]; seed: number; w: number }) => {
    const rng = new Rng(input.seed);
    const cond = normalTensor<tf.Rank.R4>(input.shape, 1, rng), uncond = normalTensor<tf.Rank.R4>(input.shape, 1, rng);
    try {
      return {
        out: m.guide(cond, uncond, input.w) as tf.Tensor4D,
        atOne: m.guide(cond, uncond, 1) as tf.Tensor4D,
        atZero: m.guide(cond, uncond, 0) as tf.Tensor4D,
        library: classifierFreeGuidance(cond, uncond, input.w),
        cond: cond.clone(), uncond: uncond.clone(),
      };
    } finally {
      tf.dispose([cond, uncond]);
    }
  },
};
