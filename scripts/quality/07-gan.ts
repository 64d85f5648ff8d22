/**
 * Lesson 07 quality: the notebook's class-conditional GAN (CGAN_RUNS.full, the model section 6
 * trains), trained from scratch with its seeds for the preset's wall-clock budget, then scored on
 * 1,000 samples — 100 of each digit (balanced labels), their noise from the run's `sample` stream:
 *
 * - `fid`, `kid` (`kid_std`): against 1,000 MNIST training images in the feature space of the
 *   committed classifier; `fid_floor`, `kid_floor`: the real-vs-real floor (1,000 test vs 1,000
 *   training images, realFloor with seed 0 — its training side is the same 1,000 images the
 *   samples are scored against). Target: fid ≤ 4 × fid_floor (`fid_ratio` ≤ 4).
 * - `class_entropy_bits` and `missing_classes`: the classifier's histogram of the samples
 *   (log₂ 10 ≈ 3.32 bits when balanced; a collapsed generator loses classes).
 * - `label_accuracy`: the fraction of samples the classifier reads as the digit they were asked for.
 *
 * Writes 07-samples.png (a row of each digit) next to the JSON report; with --save-checkpoints,
 * the trained GAN becomes datasets/pretrained/07-gan.
 */
import { join } from "node:path";
import {
  CGAN_RUNS, Gan, MnistBatches, balancedDigits, classHistogram, classifierAccuracy, generateImages, loadClassifier,
  loadMnist, noiseFrom, preset, realFloor, rowLabels, sampleGrid, sampleMnist, saveGan, scoreImages, seeds, setup, tf, trainGan, writePng,
} from "@course/lib";
import type { Metrics, QualityContext } from "./types.ts";

const N = 1000;

export async function measure(context: QualityContext): Promise<Metrics> {
  const info = await setup({ seed: 42, quiet: true });
  const run = preset(CGAN_RUNS);
  const streams = seeds(run.seed);
  const gan = new Gan(run.model, streams.init, run);
  const classifier = loadClassifier();
  try {
    const batches = new MnistBatches(loadMnist("train"), streams.batches);
    const history = await trainGan(gan, batches, run, { streams });
    const samples = generateImages(gan, N, streams.sample); //            [N, 28, 28, 1] in [0, 1]
    const reference = sampleMnist("train", N, 1); //                             realFloor(…, 0)'s training side
    const scores = scoreImages(classifier, samples, reference, { seed: 0 });
    const floor = realFloor(classifier, N, 0);
    const histogram = classHistogram(classifier, samples);
    // generateImages asks for label i mod K, as balancedDigits lists them
    const accuracy = classifierAccuracy(classifier, samples, Uint8Array.from(balancedDigits(N, run.model.classes)));
    tf.dispose([samples, reference]);
    const z = noiseFrom(streams.sample, 100, run.model.zDim), labels = rowLabels(100, 10, 10);
    writePng(join(context.outDir, "07-samples.png"), sampleGrid(gan, z, labels, 10, 2));
    tf.dispose([z, labels]);
    const metrics: Metrics = {
      fid: scores.fid, kid: scores.kid, kid_std: scores.kidStd, fid_floor: floor.fid, kid_floor: floor.kid,
      fid_ratio: scores.fid / floor.fid, class_entropy_bits: histogram.entropyBits, missing_classes: histogram.missing.length,
      label_accuracy: accuracy, n: N, steps: history.dLoss.length, train_seconds: history.seconds,
      parameters_g: gan.generator.vars.reduce((n, v) => n + v.size, 0), parameters_d: gan.discriminator.vars.reduce((n, v) => n + v.size, 0),
    };
    if (context.saveCheckpoints) {
      saveGan(gan, { seed: run.seed, steps: metrics.steps, seconds: Math.round(history.seconds), batchSize: run.batchSize,
        learningRate: run.learningRate, beta1: run.beta1, realTarget: run.realTarget, backend: info.backend,
        metrics: { fid: scores.fid, kid: scores.kid, fid_floor: floor.fid, n: N, label_accuracy: accuracy } });
    }
    return metrics;
  } finally {
    gan.dispose();
    classifier.dispose();
  }
}

/** README cell: FID against the floor, the histogram check and the training time. */
export function summary(m: Metrics): string {
  const target = m.fid! <= 4 * m.fid_floor! ? "meets" : "misses";
  return `FID ${m.fid?.toFixed(2)} (floor ${m.fid_floor?.toFixed(2)}, ×${m.fid_ratio?.toFixed(2)}; ${target} ≤ 4×) · KID ${m.kid?.toFixed(4)}` +
    ` · classes ${m.class_entropy_bits?.toFixed(2)} bits, ${m.missing_classes} missing · label accuracy ${(100 * m.label_accuracy!).toFixed(1)} %` +
    ` · ${m.steps} steps in ${m.train_seconds?.toFixed(0)} s`;
}
