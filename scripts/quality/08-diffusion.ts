/**
 * Lesson 08 quality: the notebook's full run (DIFFUSION_RUNS.full) trains the class-conditional
 * U-Net from scratch (seeded, fixed wall-clock budget), then its EMA weights draw n = 1000 images
 * with the run's sampler (ancestral DDPM steps on a respaced schedule, or DDIM) and
 * classifier-free guidance — 100 of each digit, the labels the prompts "zero" … "nine" give.
 * Metrics, in the feature space of the committed MNIST classifier: `fid`, `kid` against 1000
 * training images, and `fid_floor`/`kid_floor`, the real-vs-real floor (realFloor) at the same n;
 * `fid_ratio` = fid / fid_floor (the course's bar: ≤ 2). Also `fid_steps_S` for a few other step
 * counts while the budget allows, the class histogram's entropy, `label_accuracy` (the fraction
 * of samples the classifier reads as the digit their prompt asked for) and timings. With
 * --save-checkpoints the measured EMA model becomes datasets/pretrained/08-diffusion.
 */
import { join } from "node:path";
import {
  DIFFUSION_RUNS, DiffusionUnet, isSmoke, MnistBatches, balancedDigits, classHistogram, classifierAccuracy, fromSigned, imageGrid, loadClassifier, loadMnist,
  noiseSchedule, preset, realFloor, sampleMany, sampleMnist, savePretrainedDiffusion, scoreImages, seeds, setup, tf, trainDiffusion, writePng,
} from "@course/lib";
import type { DiffusionRun, DiffusionUnet as Unet, MnistClassifier, NoiseSchedule } from "@course/lib";
import type { Metrics, QualityContext } from "./types.ts";

const N = 1000;
/** Extra step counts scored (each costs a sampling pass) while the run is under this many seconds. */
const EXTRA_STEPS = [20, 10];
const EXTRA_DEADLINE_S = 540;

/** Draw N class-balanced samples in [0, 1] and time it. */
function draw(model: Unet, schedule: NoiseSchedule, run: DiffusionRun, steps: number): { images: tf.Tensor4D; seconds: number } {
  const t0 = performance.now();
  const signed = sampleMany(model, schedule, balancedDigits(N), seeds(run.seed).sample, { steps, guidance: run.guidance, method: run.sampleMethod });
  const images = fromSigned(signed);
  signed.dispose();
  return { images, seconds: (performance.now() - t0) / 1000 };
}

async function train(run: DiffusionRun, schedule: NoiseSchedule): Promise<{ model: DiffusionUnet; ema: DiffusionUnet; metrics: Metrics }> {
  const streams = seeds(run.seed);
  const model = new DiffusionUnet(run.model, streams.init);
  const ema = new DiffusionUnet(run.model, streams.fresh("init")); // the same initial weights
  const batches = new MnistBatches(loadMnist("train"), streams.batches);
  const history = await trainDiffusion(model, ema, schedule, batches, streams.noise, run.train);
  const tail = history.loss.slice(-100);
  return {
    model, ema,
    metrics: {
      train_seconds: history.seconds, train_steps: history.steps, train_images: history.images,
      final_loss: tail.reduce((a, b) => a + b, 0) / Math.max(tail.length, 1), parameters: model.params.count(),
    },
  };
}

function score(clf: MnistClassifier, images: tf.Tensor4D, reference: tf.Tensor4D): { fid: number; kid: number } {
  const s = scoreImages(clf, images, reference, { seed: 0 });
  return { fid: s.fid, kid: s.kid };
}

export async function measure(context: QualityContext): Promise<Metrics> {
  const start = performance.now();
  await setup({ seed: 42, quiet: true });
  const run = preset(DIFFUSION_RUNS);
  const schedule = noiseSchedule(run.schedule.kind, run.schedule.steps);
  const { model, ema, metrics } = await train(run, schedule);
  model.dispose();
  const clf = loadClassifier();
  const reference = sampleMnist("train", N, 1);
  try {
    const { images, seconds } = draw(ema, schedule, run, run.sampleSteps);
    const s = score(clf, images, reference);
    const floor = realFloor(clf, N, 0);
    Object.assign(metrics, {
      fid: s.fid, kid: s.kid, fid_floor: floor.fid, kid_floor: floor.kid, fid_ratio: s.fid / floor.fid, n: N,
      sampling_steps: run.sampleSteps, sampling_ddpm: run.sampleMethod === "ddpm" ? 1 : 0, guidance: run.guidance, sample_seconds: seconds,
      class_entropy_bits: classHistogram(clf, images).entropyBits,
      label_accuracy: classifierAccuracy(clf, images, Uint8Array.from(balancedDigits(N))),
    });
    writePng(join(context.outDir, "08-samples.png"), imageGrid(tf.slice(images, 0, 100) as tf.Tensor4D, { cols: 10 }));
    images.dispose();
    if (context.saveCheckpoints) savePretrainedDiffusion(ema, run, { seed: run.seed, ...metrics });
    for (const steps of isSmoke() ? [] : EXTRA_STEPS) {
      if ((performance.now() - start) / 1000 > EXTRA_DEADLINE_S) break;
      const extra = draw(ema, schedule, run, steps);
      metrics[`fid_steps_${steps}`] = score(clf, extra.images, reference).fid;
      extra.images.dispose();
    }
  } finally {
    tf.dispose(reference);
    clf.dispose();
    ema.dispose();
  }
  return metrics;
}

/** README cell: FID against its floor, KID, and how the samples were made. */
export function summary(m: Metrics): string {
  const extra = EXTRA_STEPS.filter((s) => m[`fid_steps_${s}`] !== undefined).map((s) => `${s} steps ${m[`fid_steps_${s}`]!.toFixed(1)}`);
  return `FID ${m.fid?.toFixed(2)} (floor ${m.fid_floor?.toFixed(2)}, ${m.fid_ratio?.toFixed(2)}×) · KID ${m.kid?.toFixed(4)} · ` +
    `${m.sampling_ddpm ? "DDPM" : "DDIM"} ${m.sampling_steps} steps, w = ${m.guidance}${extra.length ? ` (FID at ${extra.join(", ")})` : ""} · ` +
    `${m.train_steps} steps in ${m.train_seconds?.toFixed(0)} s`;
}
