/**
 * Retrain the course's MNIST classifier, the feature extractor of FID and KID (lessons 06–08,
 * 10), and write its checkpoint to datasets/mnist-classifier/ (weights.bin + classifier.json
 * with the sha256, config, seed, steps and test accuracy). Seeded: the same seed and backend
 * give the same weights.
 *
 *   npx tsx scripts/train-classifier.ts                 3 epochs, seed 0 (about 2 min)
 *   npx tsx scripts/train-classifier.ts --epochs 2 --seed 3 --out /tmp/clf
 *   npx tsx scripts/train-classifier.ts --evaluate-only   reference scores of the committed one
 *
 * After training (or with --evaluate-only) it measures the real-vs-real floor (test vs train
 * images) at n = 1000 and 2000, the scores of noised test images and the time of one FID; a
 * training run keeps them in classifier.json under "reference".
 */
import { parseArgs } from "node:util";
import {
  CLASSIFIER_CONFIG, CLASSIFIER_DIR, MnistClassifier, type ReferenceScore, Rng,
  classifierAccuracy, featuresOf, fid, kid, loadClassifier, loadMnist, markdownTable, mnistTensor,
  readClassifierMeta, repoPath, sampleMnist, saveClassifier, scoreImages, setup, tf,
} from "@course/lib";

const { values: args } = parseArgs({
  options: {
    epochs: { type: "string", default: "3" },
    seed: { type: "string", default: "0" },
    batch: { type: "string", default: "64" },
    lr: { type: "string", default: "0.001" },
    out: { type: "string", default: repoPath(CLASSIFIER_DIR) },
    "evaluate-only": { type: "boolean", default: false },
  },
});
const epochs = Number(args.epochs);
const seed = Number(args.seed);
const batchSize = Number(args.batch);
const learningRate = Number(args.lr);

/** One batch of images [B, 28, 28, 1] in [0, 1] and labels [B] picked by `order`. */
function batch(data: ReturnType<typeof loadMnist>, order: number[], start: number) {
  const idx = order.slice(start, start + batchSize);
  const images = new Float32Array(idx.length * 784);
  idx.forEach((k, i) => {
    for (let p = 0; p < 784; p++) images[i * 784 + p] = data.images[k * 784 + p]! / 255;
  });
  const labels = Int32Array.from(idx, (k) => data.labels[k]!);
  return {
    x: tf.tensor4d(images, [idx.length, 28, 28, 1]),
    y: tf.tensor1d(labels, "int32"),
  };
}

/** x + σ·N(0, 1), clipped to [0, 1]: a known, graded corruption. */
function noisy(x: tf.Tensor4D, sigma: number, noiseSeed: number): tf.Tensor4D {
  const rng = new Rng(noiseSeed);
  const noise = Float32Array.from({ length: x.size }, () => sigma * rng.normal());
  return tf.tidy(() => tf.clipByValue(tf.add(x, tf.tensor(noise, x.shape)), 0, 1) as tf.Tensor4D);
}

/** Floors and noised-image scores at n = 1000 and 2000, and the time of one FID at n = 1000. */
function measureReference(model: MnistClassifier): ReferenceScore[] {
  const scores: ReferenceScore[] = [];
  for (const n of [1000, 2000]) {
    const test = sampleMnist("test", n, 0);
    const train = sampleMnist("train", n, 1);
    for (const sigma of [0, 0.1, 0.3]) {
      const x = sigma === 0 ? test : noisy(test, sigma, 2);
      const what = sigma === 0 ? "test vs train (floor)" : `test + noise σ=${sigma} vs train`;
      scores.push({ what, ...scoreImages(model, x, train, { seed: 0 }) });
      if (x !== test) x.dispose();
    }
    tf.dispose([test, train]);
  }
  const rows = scores.map((s) => ({
    images: s.what,
    n: s.n,
    FID: s.fid.toFixed(3),
    "KID ± std": `${s.kid.toFixed(4)} ± ${s.kidStd.toFixed(4)}`,
  }));
  console.log(markdownTable(rows));
  return scores;
}

/** Wall time of one FID at n = 1000: features of both sets, statistics and the distance. */
function timeFid(model: MnistClassifier): void {
  const a = sampleMnist("test", 1000, 0);
  const b = sampleMnist("train", 1000, 1);
  const t0 = performance.now();
  const fa = featuresOf(model, a);
  const fb = featuresOf(model, b);
  const t1 = performance.now();
  const score = fid(fa, fb);
  const t2 = performance.now();
  const k = kid(fa, fb, { seed: 0 });
  const t3 = performance.now();
  console.log(
    `one FID at n = 1000 (${score.toFixed(3)}): ${((t2 - t0) / 1000).toFixed(2)} s = features ` +
      `${((t1 - t0) / 1000).toFixed(2)} s + statistics and distance ${((t2 - t1) / 1000).toFixed(2)} s; ` +
      `KID (${k.kid.toFixed(3)}) on the same features ${((t3 - t2) / 1000).toFixed(2)} s`,
  );
  tf.dispose([a, b]);
}

async function evaluateOnly(): Promise<void> {
  await setup({ seed });
  const meta = readClassifierMeta(args.out);
  const model = loadClassifier(args.out);
  const test = loadMnist("test");
  const images = mnistTensor(test);
  const acc = classifierAccuracy(model, images, test.labels);
  images.dispose();
  const recorded = (100 * meta.training.testAccuracy).toFixed(2);
  console.log(`test accuracy ${(100 * acc).toFixed(2)} % (recorded: ${recorded} %)`);
  measureReference(model);
  timeFid(model);
  model.dispose();
}

async function main(): Promise<void> {
  if (args["evaluate-only"]) return evaluateOnly();
  const info = await setup({ seed });
  const rng = new Rng(seed);
  const train = loadMnist("train");
  const model = new MnistClassifier(CLASSIFIER_CONFIG, rng.fork());
  const optimizer = tf.train.adam(learningRate, 0.9, 0.999, 1e-8);
  const shuffler = rng.fork();
  const t0 = Date.now();
  let steps = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = shuffler.shuffle(Array.from({ length: train.count }, (_, i) => i));
    let sum = 0;
    let seen = 0;
    for (let start = 0; start + batchSize <= train.count; start += batchSize) {
      const { x, y } = batch(train, order, start);
      const loss = optimizer.minimize(() => model.loss(x, y), true, model.vars) as tf.Scalar;
      steps++;
      sum += loss.dataSync()[0]!;
      seen++;
      if (steps % 200 === 0) {
        const s = ((Date.now() - t0) / 1000).toFixed(0);
        console.log(`epoch ${epoch + 1} step ${steps} mean loss ${(sum / seen).toFixed(4)} · ${s} s`);
        [sum, seen] = [0, 0];
      }
      tf.dispose([x, y, loss]);
    }
  }
  const seconds = (Date.now() - t0) / 1000;
  const test = loadMnist("test");
  const testImages = mnistTensor(test);
  const testAccuracy = classifierAccuracy(model, testImages, test.labels);
  testImages.dispose();
  console.log(`test accuracy ${(100 * testAccuracy).toFixed(2)} %; measuring reference scores…`);
  const reference = measureReference(model);
  timeFid(model);
  const meta = saveClassifier(model, {
    seed, steps, epochs, batchSize, learningRate, testAccuracy, backend: info.backend,
    seconds: Math.round(seconds),
  }, args.out, reference);
  console.log(
    `test accuracy ${(100 * testAccuracy).toFixed(2)} % after ${steps} steps (${seconds.toFixed(0)} s); ` +
      `wrote ${args.out} (${meta.bytes} bytes, sha256 ${meta.sha256.slice(0, 12)}…)`,
  );
  optimizer.dispose();
  model.dispose();
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
