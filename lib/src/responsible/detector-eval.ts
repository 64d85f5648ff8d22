/**
 * Lesson 12's detector experiment: one detector per generator, each trained on real training
 * images against that generator's fakes, then scored on held-out real test images against
 * held-out fakes of its own generator (same-generator AUC), of the other generator
 * (cross-generator AUC), and after perturbing every held-out image (robustness).
 */
import type { Streams } from "../seeds";
import { tf } from "../tf";
import { DETECTOR_CONFIG, type DetectorTraining, FakeDetector, detectorScores, trainDetector } from "./detector";
import { type Perturbation, perturb, perturbationName } from "./fakes";
import { type RocCurve, auc, rocCurve } from "./roc";

/** Images of one source, split into what the detector trains on and what it is tested on. */
export interface ImageSplit {
  train: tf.Tensor4D;
  test: tf.Tensor4D;
}

export interface DetectorResult {
  /** Generator the detector was trained on. */
  trainedOn: string;
  /** AUC on held-out real vs each generator's held-out fakes (keys: generator names). */
  auc: Record<string, number>;
  /** ROC curve against its own generator's held-out fakes. */
  roc: RocCurve;
  /** AUC against its own generator after each perturbation of all held-out images. */
  perturbed: { name: string; auc: number }[];
  /** Training loss of every step. */
  losses: number[];
  /** Training FLOPs (3 × forward per image) and seconds. */
  flops: number;
  seconds: number;
}

/**
 * Train one detector on `real.train` vs `fakes[name].train` and score it every way. Its weights
 * come from `streams.init`, its batches from `streams.batches`, the perturbations' pixel noise
 * from `streams.eval`.
 */
export async function detectorExperiment(
  real: ImageSplit, fakes: Record<string, ImageSplit>, name: string, training: DetectorTraining, perturbations: Perturbation[],
  streams: Pick<Streams, "init" | "batches" | "eval">,
): Promise<DetectorResult> {
  const detector = new FakeDetector(DETECTOR_CONFIG, streams.init);
  try {
    const t0 = performance.now();
    const losses = await trainDetector(detector, real.train, fakes[name]!.train, training, streams.batches);
    const seconds = (performance.now() - t0) / 1000;
    const realScores = detectorScores(detector, real.test);
    const aucs: Record<string, number> = {};
    for (const [other, split] of Object.entries(fakes)) aucs[other] = auc(detectorScores(detector, split.test), realScores);
    const own = detectorScores(detector, fakes[name]!.test);
    const perturbed = perturbations.map((p) => {
      const r = perturb(real.test, p, streams.eval), f = perturb(fakes[name]!.test, p, streams.eval);
      const value = auc(detectorScores(detector, f), detectorScores(detector, r));
      tf.dispose([r, f]);
      return { name: perturbationName(p), auc: value };
    });
    const flops = 3 * detector.flopsPerImage() * training.batchSize * training.steps;
    return { trainedOn: name, auc: aucs, roc: rocCurve(own, realScores), perturbed, losses, flops, seconds };
  } finally {
    detector.dispose();
  }
}
