/**
 * Lesson 10 quality: a metric-sensitivity table. There is no model to train here; instead each
 * of lesson 10's fake generators (`lessonFakes`: real held-out images, noise, blur, dropped
 * digits, class imbalance, exact and shifted copies of training images) produces n = 1000
 * images, scored with the committed classifier against one reference (`evaluationReference`):
 * FID, KID, precision, recall, class-histogram entropy and the memorised fraction. Metric keys
 * are `<fake>_<metric>`, e.g. `digits04_recall`; `fid_floor`/`kid_floor` are the real-vs-real
 * floor (test vs train, as realFloor), `fid_floor_n<N>` its bias over N, and `shiftChecks`
 * adds how the memorisation check fares against shifted copies. A grid with one row of images
 * per fake goes to `10-samples.png`. About a minute on 2 cores.
 */
import { join } from "node:path";
import {
  evaluationReference, fakeSamples, lessonFakes, loadClassifier, memorisation, nearestNeighbour, nearestNeighbourShifted, scoreGenerator,
  imageGrid, sampleMnist, scoreImages, setup, tf, writePng, preset,
} from "@course/lib";
import type { EvaluationReference, MnistClassifier } from "@course/lib";
import type { Metrics, QualityContext } from "./types.ts";

const N = 1000;
const POOL = 10_000;

/** FID of n test images against n training images for several n: FID's small-sample bias. */
function floorSweep(model: MnistClassifier, sizes: number[]): Metrics {
  const out: Metrics = {};
  for (const n of sizes) {
    const test = sampleMnist("test", n, 0), train = sampleMnist("train", n, 1);
    out[`fid_floor_n${n}`] = scoreImages(model, test, train).fid;
    tf.dispose([test, train]);
  }
  return out;
}

/**
 * Memorised fractions that show the limits of the nearest-neighbour check on n images: copies
 * moved by 1 pixel under a search over 1-pixel shifts (`shifted_memorised_shift1`), copies moved
 * by up to 2 pixels under the same search (`shifted2_memorised_shift1`), and 1-pixel-shifted
 * copies searched in the classifier's feature space (`shifted_memorised_features`).
 */
function shiftChecks(ref: EvaluationReference, n: number): Metrics {
  const one = fakeSamples({ kind: "memorise", pool: POOL, shift: 1 }, n, 7);
  const two = fakeSamples({ kind: "memorise", pool: POOL, shift: 2 }, n, 7);
  const held = tf.slice(ref.heldOut, [0, 0, 0, 0], [n, 28, 28, 1]); //    [n, 28, 28, 1]
  try {
    const heldShift = nearestNeighbourShifted(held, ref.pool, 1).distance;
    const heldFeatures = nearestNeighbour(held, ref.pool, ref.model).distance;
    return {
      shifted_memorised_shift1: memorisation(nearestNeighbourShifted(one.images, ref.pool, 1).distance, heldShift, 0.01).fraction,
      shifted2_memorised_shift1: memorisation(nearestNeighbourShifted(two.images, ref.pool, 1).distance, heldShift, 0.01).fraction,
      shifted_memorised_features: memorisation(nearestNeighbour(one.images, ref.pool, ref.model).distance, heldFeatures, 0.01).fraction,
    };
  } finally {
    tf.dispose([one.images, two.images, held]);
  }
}

export async function measure(context?: QualityContext): Promise<Metrics> {
  await setup({ seed: 0, quiet: true });
  const model = loadClassifier();
  const ref = evaluationReference(model, N, { seed: 0, pool: POOL });
  const metrics: Metrics = {};
  const rows: tf.Tensor4D[] = [];
  try {
    const floor = scoreGenerator(ref, ref.heldOut);
    Object.assign(metrics, { fid_floor: floor.fid, kid_floor: floor.kid, precision_floor: floor.precision, recall_floor: floor.recall, n: N });
    for (const { key, generator } of lessonFakes(POOL)) {
      const fake = fakeSamples(generator, N, 7);
      const s = scoreGenerator(ref, fake.images);
      Object.assign(metrics, {
        [`${key}_fid`]: s.fid, [`${key}_kid`]: s.kid, [`${key}_precision`]: s.precision, [`${key}_recall`]: s.recall,
        [`${key}_entropy_bits`]: s.entropyBits, [`${key}_memorised`]: s.memorised,
      });
      rows.push(tf.slice(fake.images, [0, 0, 0, 0], [10, 28, 28, 1]));
      fake.images.dispose();
    }
    Object.assign(metrics, shiftChecks(ref, preset({ smoke: 100, full: N })));
    Object.assign(metrics, floorSweep(model, preset({ smoke: [250, 1000], full: [250, 500, 1000, 2000, 4000] })));
    if (context) {
      const grid = tf.concat(rows); //                                       [8·10, 28, 28, 1]
      writePng(join(context.outDir, "10-samples.png"), imageGrid(grid, { cols: 10 }));
      grid.dispose();
    }
  } finally {
    tf.dispose([...rows, ref.heldOut]);
    model.dispose();
  }
  return metrics;
}

/** README cell: the floor, and what each flaw does to the metric that sees it. */
export function summary(m: Metrics): string {
  const f = (v: number | undefined, d = 1) => (v === undefined ? "?" : v.toFixed(d));
  return [
    `n = ${m.n}: floor FID ${f(m.fid_floor)} (n = 250: ${f(m.fid_floor_n250)})`,
    `noise σ=0.1 FID ${f(m.noise01_fid)}`,
    `digits 0–4 only: precision ${f(m.digits04_precision, 2)}, recall ${f(m.digits04_recall, 2)}`,
    `copies: FID ${f(m.copies_fid)}, memorised ${f(100 * (m.copies_memorised ?? NaN), 0)} %`,
    `1-px-shifted copies memorised ${f(100 * (m.shifted_memorised ?? NaN), 0)} % → ${f(100 * (m.shifted_memorised_shift1 ?? NaN), 0)} % with a shift search`,
  ].join(" · ");
}
