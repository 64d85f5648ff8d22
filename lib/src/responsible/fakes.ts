/**
 * Images for the detector and the audits: fakes from the committed GAN (lesson 07) and diffusion
 * model (lesson 08), and three simple perturbations a fake might go through before anyone checks
 * it (blur, pixel noise, coarse quantisation of the grey levels, as lossy compression does).
 * All images are [N, 28, 28, 1] in [0, 1]; the caller disposes them.
 */
import { balancedDigits } from "../diffusion/prompt";
import { loadPretrainedDiffusion } from "../diffusion/pretrained";
import { sampleMany } from "../diffusion/sample";
import { noiseSchedule } from "../diffusion/schedule";
import { CourseError } from "../errors";
import { generateImages } from "../gan/gan";
import { loadPretrainedGan } from "../gan/pretrained";
import { fromSigned } from "../nn/mnist-batches";
import type { Rng } from "../random";
import { tf } from "../tf";

/** `n` samples of the pretrained conditional GAN (balanced digits), noise drawn from `rng` (e.g. `streams.sample`). */
export function ganFakes(n: number, rng: Rng): tf.Tensor4D {
  const gan = loadPretrainedGan();
  try {
    return generateImages(gan, n, rng);
  } finally {
    gan.dispose();
  }
}

/**
 * `n` samples of the pretrained diffusion model with `steps` sampling steps of its own sampler
 * and guidance, noise drawn from `rng` (e.g. `streams.sample`); `labels` "balanced" asks for each
 * digit equally often, "unconditional" uses the null label (no digit asked for).
 */
export function diffusionFakes(n: number, rng: Rng, steps: number, labels: "balanced" | "unconditional" = "balanced"): tf.Tensor4D {
  const { model, run } = loadPretrainedDiffusion();
  try {
    const schedule = noiseSchedule(run.schedule.kind, run.schedule.steps);
    const classes = run.model.classes;
    const wanted = labels === "balanced" ? balancedDigits(n, classes) : new Int32Array(n).fill(classes);
    const w = labels === "balanced" ? run.guidance : 1; // guidance needs a label to push towards
    const signed = sampleMany(model, schedule, wanted, rng, { steps, guidance: w, method: run.sampleMethod }, 100);
    const images = tf.clipByValue(fromSigned(signed), 0, 1) as tf.Tensor4D;
    signed.dispose();
    return images;
  } finally {
    model.dispose();
  }
}

export type Perturbation = { kind: "blur"; sigma: number } | { kind: "noise"; sigma: number } | { kind: "quantise"; levels: number };

/** A normalised 1-D Gaussian of standard deviation σ, radius ⌈2σ⌉. */
function gaussian1d(sigma: number): number[] {
  const r = Math.max(1, Math.ceil(2 * sigma));
  const w = Array.from({ length: 2 * r + 1 }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)));
  const total = w.reduce((a, b) => a + b, 0);
  return w.map((v) => v / total);
}

/** Images after the perturbation, clipped to [0, 1]; pixel noise is drawn from `rng`.  [N, 28, 28, 1] → same */
export function perturb(images: tf.Tensor4D, p: Perturbation, rng: Rng): tf.Tensor4D {
  return tf.tidy(() => {
    if (p.kind === "blur") {
      const k = gaussian1d(p.sigma);
      const row = tf.tensor4d(k, [1, k.length, 1, 1]), col = tf.tensor4d(k, [k.length, 1, 1, 1]);
      return tf.conv2d(tf.conv2d(images, row, 1, "same"), col, 1, "same"); // separable: rows, then columns
    }
    if (p.kind === "noise") {
      const z = tf.tensor(Float32Array.from({ length: images.size }, () => rng.normal()), images.shape);
      return tf.clipByValue(tf.add(images, tf.mul(z, p.sigma)), 0, 1) as tf.Tensor4D;
    }
    if (!(Number.isInteger(p.levels) && p.levels >= 2)) throw new CourseError(`quantise needs levels ≥ 2 (an integer), got ${p.levels}.`);
    const q = p.levels - 1; // x → round(x·q)/q: only `levels` grey values survive
    return tf.div(tf.round(tf.mul(tf.clipByValue(images, 0, 1), q)), q) as tf.Tensor4D;
  });
}

/** A short name for tables: "blur σ=1", "noise σ=0.1", "4 grey levels". */
export function perturbationName(p: Perturbation): string {
  return p.kind === "quantise" ? `${p.levels} grey levels` : `${p.kind} σ=${p.sigma}`;
}
