/**
 * "Fake generators" built from real MNIST, each with one known flaw, for testing what the
 * metrics see (lesson 10). All are seeded and return images [N, 28, 28, 1] in [0, 1]:
 *
 * - `real`: held-out test images — what a perfect generator would produce.
 * - `noise`: test images plus Gaussian pixel noise N(0, σ²), clipped to [0, 1].
 * - `blur`: test images blurred by a Gaussian of σ pixels.
 * - `drop-digits`: test images of only some digits (mode dropping).
 * - `imbalance`: test images whose digits follow given class weights (class bias).
 * - `memorise`: copies of training images (the first `pool` of MNIST's training split), each
 *   optionally moved by up to `shift` pixels (never by 0 when shift > 0) — a generator that
 *   learnt its data by heart.
 */
import { type Mnist, loadMnist } from "../data/mnist";
import { CourseError } from "../errors";
import { Rng } from "../random";
import { tf } from "../tf";

export type FakeGenerator =
  | { kind: "real" }
  | { kind: "noise"; sigma: number }
  | { kind: "blur"; sigma: number }
  | { kind: "drop-digits"; keep: number[] }
  | { kind: "imbalance"; weights: number[] }
  | { kind: "memorise"; pool: number; shift?: number };

export interface FakeSamples {
  /** The images. [N, 28, 28, 1] in [0, 1]; the caller disposes them. */
  images: tf.Tensor4D;
  /** The true digit of each image's source. */
  labels: Uint8Array;
  /** Index of each image's source in its MNIST split (test, or train for `memorise`). */
  source: Int32Array;
}

const PIXELS = 28 * 28;

/** A short name for tables and legends, e.g. "noise σ=0.1" or "digits 0–4 only". */
export function fakeGeneratorName(g: FakeGenerator): string {
  switch (g.kind) {
    case "real": return "real (held-out test images)";
    case "noise": return `noise σ=${g.sigma}`;
    case "blur": return `blur σ=${g.sigma} px`;
    case "drop-digits": return `digits ${g.keep.join(",")} only`;
    case "imbalance": {
      const total = g.weights.reduce((a, b) => a + b, 0), top = g.weights.indexOf(Math.max(...g.weights));
      return `imbalanced: ${Math.round((100 * g.weights[top]!) / total)} % digit ${top}`;
    }
    case "memorise": return g.shift ? `copies of ${g.pool} train images, shifted ≤${g.shift} px` : `copies of ${g.pool} train images`;
  }
}

/**
 * The fake generators lesson 10 scores, one flaw each; `pool` is the memorising ones' training
 * set (the first `pool` MNIST training images).
 */
export function lessonFakes(pool: number): { key: string; generator: FakeGenerator }[] {
  return [
    { key: "real", generator: { kind: "real" } },
    { key: "noise01", generator: { kind: "noise", sigma: 0.1 } },
    { key: "noise03", generator: { kind: "noise", sigma: 0.3 } },
    { key: "blur1", generator: { kind: "blur", sigma: 1 } },
    { key: "digits04", generator: { kind: "drop-digits", keep: [0, 1, 2, 3, 4] } },
    { key: "imbalance", generator: { kind: "imbalance", weights: [9, 1, 1, 1, 1, 1, 1, 1, 1, 1] } },
    { key: "copies", generator: { kind: "memorise", pool } },
    { key: "shifted", generator: { kind: "memorise", pool, shift: 1 } },
  ];
}

/** `n` images from the fake generator `g`, drawn by `seed`. */
export function fakeSamples(g: FakeGenerator, n: number, seed: number): FakeSamples {
  if (!(Number.isInteger(n) && n >= 1)) throw new CourseError(`fakeSamples(): n must be an integer ≥ 1, got ${n}.`);
  const rng = new Rng(seed);
  if (g.kind === "memorise") return copies(g.pool, g.shift ?? 0, n, rng);
  const test = loadMnist("test");
  const source = pickTest(g, test, n, rng);
  const pixels = new Float32Array(n * PIXELS);
  source.forEach((k, i) => {
    for (let p = 0; p < PIXELS; p++) pixels[i * PIXELS + p] = test.images[k * PIXELS + p]! / 255;
  });
  if (g.kind === "noise") addNoise(pixels, g.sigma, rng);
  if (g.kind === "blur") for (let i = 0; i < n; i++) blurImage(pixels.subarray(i * PIXELS, (i + 1) * PIXELS), g.sigma);
  const labels = Uint8Array.from(source, (k) => test.labels[k]!);
  return { images: tf.tensor4d(pixels, [n, 28, 28, 1]), labels, source }; // [N, 28, 28, 1]
}

/** Which test images a test-based generator starts from. */
function pickTest(g: FakeGenerator, test: Mnist, n: number, rng: Rng): Int32Array {
  const order = rng.shuffle(Array.from({ length: test.count }, (_, i) => i));
  if (g.kind === "drop-digits") {
    const keep = new Set(g.keep);
    const kept = order.filter((k) => keep.has(test.labels[k]!));
    if (kept.length < n) {
      throw new CourseError(`fakeSamples(): digits ${g.keep} have ${kept.length} test images; asked for ${n}.`);
    }
    return Int32Array.from(kept.slice(0, n));
  }
  if (g.kind === "imbalance") return pickByWeights(g.weights, test, order, n, rng);
  if (n > test.count) throw new CourseError(`fakeSamples(): the test split has ${test.count} images; asked for ${n}.`);
  return Int32Array.from(order.slice(0, n));
}

/** Each image's digit drawn from `weights` (10 values ≥ 0), then the next unused test image of it. */
function pickByWeights(weights: number[], test: Mnist, order: number[], n: number, rng: Rng): Int32Array {
  if (weights.length !== 10) throw new CourseError(`fakeSamples(): imbalance needs 10 class weights, got ${weights.length}.`);
  const byDigit: number[][] = Array.from({ length: 10 }, () => []);
  for (const k of order) byDigit[test.labels[k]!]!.push(k);
  const used = new Array<number>(10).fill(0);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const d = rng.categorical(weights);
    if (used[d]! >= byDigit[d]!.length) {
      throw new CourseError(`fakeSamples(): ran out of test images of digit ${d} (${byDigit[d]!.length}); ask for fewer.`);
    }
    out[i] = byDigit[d]![used[d]!++]!;
  }
  return out;
}

/** x ← clip(x + σ·z, 0, 1), z ~ N(0, 1) per pixel. */
function addNoise(pixels: Float32Array, sigma: number, rng: Rng): void {
  if (!(sigma >= 0)) throw new CourseError(`fakeSamples(): noise σ must be ≥ 0, got ${sigma}.`);
  for (let i = 0; i < pixels.length; i++) pixels[i] = Math.min(1, Math.max(0, pixels[i]! + sigma * rng.normal()));
}

/** Normalised 1-D Gaussian taps, radius ⌈3σ⌉. */
function gaussianTaps(sigma: number): Float64Array {
  if (!(sigma > 0)) throw new CourseError(`fakeSamples(): blur σ must be > 0, got ${sigma}.`);
  const r = Math.ceil(3 * sigma);
  const taps = Float64Array.from({ length: 2 * r + 1 }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)));
  const total = taps.reduce((a, b) => a + b, 0);
  return taps.map((t) => t / total);
}

/** Separable Gaussian blur of one 28 × 28 image in place; pixels beyond the border count as 0 (black). */
function blurImage(img: Float32Array, sigma: number): void {
  const taps = gaussianTaps(sigma);
  const r = (taps.length - 1) / 2;
  const tmp = new Float64Array(PIXELS);
  for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) { // rows
    let s = 0;
    for (let t = -r; t <= r; t++) if (x + t >= 0 && x + t < 28) s += taps[t + r]! * img[y * 28 + x + t]!;
    tmp[y * 28 + x] = s;
  }
  for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) { // columns
    let s = 0;
    for (let t = -r; t <= r; t++) if (y + t >= 0 && y + t < 28) s += taps[t + r]! * tmp[(y + t) * 28 + x]!;
    img[y * 28 + x] = s;
  }
}

/** `n` copies of distinct training images among the first `pool`, each moved by (dy, dx) ∈ [−shift, shift]² \ {(0, 0)}. */
function copies(pool: number, shift: number, n: number, rng: Rng): FakeSamples {
  const train = loadMnist("train", { limit: pool });
  if (pool !== train.count || n > pool) {
    throw new CourseError(`fakeSamples(): memorise needs n ≤ pool ≤ ${train.count}; got n = ${n}, pool = ${pool}.`);
  }
  if (!(Number.isInteger(shift) && shift >= 0)) throw new CourseError(`fakeSamples(): shift must be an integer ≥ 0, got ${shift}.`);
  const source = Int32Array.from(rng.shuffle(Array.from({ length: pool }, (_, i) => i)).slice(0, n));
  const pixels = new Float32Array(n * PIXELS);
  source.forEach((k, i) => {
    let dy = 0, dx = 0;
    while (shift > 0 && dy === 0 && dx === 0) { // every copy moves when shift > 0
      dy = rng.int(2 * shift + 1) - shift;
      dx = rng.int(2 * shift + 1) - shift;
    }
    for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) {
      const sy = y - dy, sx = x - dx; // pixel (y, x) of the copy comes from (y − dy, x − dx)
      if (sy >= 0 && sy < 28 && sx >= 0 && sx < 28) pixels[i * PIXELS + y * 28 + x] = train.images[k * PIXELS + sy * 28 + sx]! / 255;
    }
  });
  const labels = Uint8Array.from(source, (k) => train.labels[k]!);
  return { images: tf.tensor4d(pixels, [n, 28, 28, 1]), labels, source }; // [N, 28, 28, 1]
}
