import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  CLASSIFIER_DIR, CourseError, MnistClassifier, RETRAIN_COMMAND, Rng, classHistogram, featuresOf,
  fid, loadClassifier, loadMnist, mnistTensor, nearestNeighbour, readClassifierMeta, realFloor, repoPath,
  saveClassifier, sampleMnist, setup, tf,
} from "@course/lib";

const SMALL = { conv1: 4, conv2: 8, features: 16, classes: 10 };
const record = {
  seed: 0, steps: 0, epochs: 0, batchSize: 1, learningRate: 0, testAccuracy: 0, backend: "cpu", seconds: 0,
};

/** x + σ·N(0, 1), clipped to [0, 1]. */
function noisy(x: tf.Tensor4D, sigma: number, seed: number): tf.Tensor4D {
  const rng = new Rng(seed);
  const noise = Float32Array.from({ length: x.size }, () => sigma * rng.normal());
  return tf.tidy(() => tf.clipByValue(x.add(tf.tensor(noise, x.shape)), 0, 1) as tf.Tensor4D);
}

describe("MNIST classifier (feature extractor of FID/KID)", () => {
  beforeAll(async () => {
    await setup({ seed: 0, backend: "wasm", quiet: true });
  });

  it("features [N, 28, 28, 1] → [N, F] and logits → [N, 10], seeded init, no leaks", () => {
    const before = tf.memory().numTensors;
    const a = new MnistClassifier(SMALL, new Rng(1));
    const b = new MnistClassifier(SMALL, new Rng(1));
    const x = tf.zeros([3, 28, 28, 1]) as tf.Tensor4D;
    const [fa, fb, la] = [a.features(x), b.features(x), a.logits(x)];
    expect(fa.shape).toEqual([3, 16]);
    expect(la.shape).toEqual([3, 10]);
    expect(Array.from(fa.dataSync())).toEqual(Array.from(fb.dataSync()));
    const wrong = tf.zeros([3, 28, 28]);
    expect(() => a.features(wrong as unknown as tf.Tensor4D)).toThrow(/\[3, 28, 28\]/);
    tf.dispose([x, wrong, fa, fb, la]);
    a.dispose();
    b.dispose();
    expect(tf.memory().numTensors, "tensors left").toBe(before);
  });

  it("round-trips through a checkpoint, and a tampered one fails naming the file and the fix", () => {
    const dir = mkdtempSync(join(tmpdir(), "clf-"));
    const model = new MnistClassifier(SMALL, new Rng(2));
    const meta = saveClassifier(model, record, dir);
    const loaded = loadClassifier(dir);
    const x = mnistTensor(loadMnist("test", { limit: 8 }));
    const [f1, f2] = [model.features(x), loaded.features(x)];
    expect(Array.from(f2.dataSync())).toEqual(Array.from(f1.dataSync()));
    expect(readClassifierMeta(dir).sha256).toBe(meta.sha256);
    tf.dispose([x, f1, f2]);
    model.dispose();
    loaded.dispose();

    const weights = join(dir, "weights.bin");
    const bytes = readFileSync(weights);
    bytes[100] = bytes[100]! ^ 0xff;
    writeFileSync(weights, bytes);
    expect(() => loadClassifier(dir)).toThrow(CourseError);
    expect(() => loadClassifier(dir)).toThrow(/weights\.bin.*sha256[\s\S]*npx tsx scripts\/train-classifier\.ts/);
    expect(() => loadClassifier(join(dir, "nowhere"))).toThrow(/classifier\.json: the file is missing/);
    expect(RETRAIN_COMMAND).toBe("npx tsx scripts/train-classifier.ts");
  });

  it("the committed checkpoint loads, matches its recorded accuracy on test images", () => {
    const meta = readClassifierMeta();
    expect(meta.training.testAccuracy).toBeGreaterThanOrEqual(0.98);
    const model = loadClassifier();
    const test = loadMnist("test", { limit: 500 });
    const x = mnistTensor(test);
    const hist = classHistogram(model, x);
    const truth = new Array(10).fill(0);
    for (const l of test.labels) truth[l]++;
    // Predicted counts per digit within a few images of the true counts.
    hist.counts.forEach((c, d) => expect(Math.abs(c - truth[d])).toBeLessThanOrEqual(4));
    expect(hist.entropyBits).toBeGreaterThan(3.2);
    expect(hist.missing).toEqual([]);
    x.dispose();
    model.dispose();
    expect(repoPath(CLASSIFIER_DIR)).toMatch(/datasets[/\\]mnist-classifier$/);
  });

  it("FID rises monotonically with pixel noise and with a shift; identical sets score 0", () => {
    const before = tf.memory().numTensors;
    const model = loadClassifier();
    const test = sampleMnist("test", 500, 1);
    const train = sampleMnist("train", 500, 2);
    const ref = featuresOf(model, train);
    expect(fid(ref, ref)).toBeLessThan(1e-6);
    const scores = [0, 0.1, 0.3, 0.6].map((sigma) => {
      const x = noisy(test, sigma, 3);
      const score = fid(featuresOf(model, x), ref);
      x.dispose();
      return score;
    });
    for (let i = 1; i < scores.length; i++) expect(scores[i]!).toBeGreaterThan(scores[i - 1]!);
    const shifts = [2, 4].map((px) => {
      const x = tf.tidy(() => tf.pad(test, [[0, 0], [0, 0], [px, 0], [0, 0]]).slice([0, 0, 0, 0], [500, 28, 28, 1]));
      const score = fid(featuresOf(model, x as tf.Tensor4D), ref);
      x.dispose();
      return score;
    });
    expect(shifts[0]!).toBeGreaterThan(scores[0]!);
    expect(shifts[1]!).toBeGreaterThan(shifts[0]!);
    tf.dispose([test, train]);
    model.dispose();
    expect(tf.memory().numTensors, "tensors left").toBe(before);
  });

  it("realFloor reproduces the floor recorded with the checkpoint and refuses n < 1000", () => {
    const model = loadClassifier();
    const recorded = readClassifierMeta().reference?.find((r) => r.n === 1000 && r.what.includes("floor"));
    const floor = realFloor(model, 1000);
    expect(floor.n).toBe(1000);
    // Same checkpoint, same seeded draws: equal up to float32 summation order (threads, CPUs).
    expect(Math.abs(floor.fid - recorded!.fid)).toBeLessThan(1e-3 * Math.max(1, recorded!.fid));
    expect(Math.abs(floor.kid - recorded!.kid)).toBeLessThan(1e-2 * Math.max(1, Math.abs(recorded!.kid)));
    expect(() => realFloor(model, 500)).toThrow(/≥ 1000/);
    model.dispose();
  });

  it("nearestNeighbour finds a copied training image at distance 0, in pixels and features", () => {
    const train = loadMnist("train", { limit: 3000 });
    const model = loadClassifier();
    const copies = mnistTensor(train, 1234, 2); // images 1234, 1235
    const fresh = mnistTensor(loadMnist("test", { limit: 2 }));
    const gen = tf.concat([copies, fresh]) as tf.Tensor4D;
    const pixels = nearestNeighbour(gen, train, undefined, 1000);
    expect(Array.from(pixels.index.slice(0, 2))).toEqual([1234, 1235]);
    expect(pixels.distance[0]!).toBeLessThan(1e-3);
    expect(pixels.distance[2]!).toBeGreaterThan(1);
    const feats = nearestNeighbour(gen, train, model, 1000);
    expect(feats.distance[0]!).toBeLessThan(1e-2);
    tf.dispose([copies, fresh, gen]);
    model.dispose();
  });
});
