import { beforeAll, describe, expect, it } from "vitest";
import {
  type Matrix, Rng, fakeSamples, insideManifold, knnRadii, loadMnist, memorisation, nearestNeighbourShifted,
  pairwiseSquaredDistances, precisionRecall, quantile, setup, shiftImages, tf,
} from "@course/lib";

function randomRows(n: number, d: number, seed: number, shift = 0): Matrix {
  const rng = new Rng(seed);
  return { data: Float64Array.from({ length: n * d }, () => shift + rng.normal()), rows: n, cols: d };
}

beforeAll(async () => {
  await setup({ seed: 0, quiet: true });
});

describe("precision and recall (k-NN manifolds)", () => {
  it("radii are k-th nearest other-row distances, checked on points on a line", () => {
    const x: Matrix = { data: Float64Array.from([0, 1, 3, 7]), rows: 4, cols: 1 };
    expect(Array.from(knnRadii(x, 1))).toEqual([1, 1, 2, 4]);
    expect(Array.from(knnRadii(x, 2))).toEqual([3, 2, 3, 6]);
    expect(() => knnRadii(x, 4)).toThrow(/k must be an integer 1…3/);
  });

  it("distances ≤ radius count as inside; pairwise distances are squared Euclidean", () => {
    const centres: Matrix = { data: Float64Array.from([0, 0, 10, 0]), rows: 2, cols: 2 };
    const points: Matrix = { data: Float64Array.from([3, 4, 10, 1.5, 5, 5]), rows: 3, cols: 2 };
    expect(Array.from(pairwiseSquaredDistances(points, centres))).toEqual([25, 65, 102.25, 2.25, 50, 50]);
    expect(Array.from(insideManifold(points, centres, [5, 1]))).toEqual([1, 0, 0]);
  });

  it("a subset of the real set has precision 1; swapping sets swaps the numbers; a shifted set loses both", () => {
    const real = randomRows(150, 4, 1), fake = randomRows(150, 4, 2, 3);
    const half: Matrix = { data: real.data.slice(0, 75 * 4), rows: 75, cols: 4 };
    expect(precisionRecall(real, half).precision).toBe(1);
    const ab = precisionRecall(real, fake), ba = precisionRecall(fake, real);
    expect(ab.precision).toBe(ba.recall);
    expect(ab.recall).toBe(ba.precision);
    expect(ab.precision).toBeLessThan(0.8);
    expect(ab.recall).toBeLessThan(0.8);
  });
});

describe("memorisation rule", () => {
  it("quantile interpolates like NumPy's default", () => {
    expect(quantile([3, 1, 2, 4], 0.5)).toBe(2.5); // numpy.quantile([3,1,2,4], 0.5) = 2.5
    expect(quantile([10, 0], 0.25)).toBe(2.5);
    expect(quantile([5], 0.3)).toBe(5);
  });

  it("copies score 1, the held-out set against its own threshold at most q", () => {
    const held = Array.from({ length: 200 }, (_, i) => 3 + i / 100);
    expect(memorisation(new Array(50).fill(0), held, 0.01).fraction).toBe(1);
    expect(memorisation(held, held, 0.05).fraction).toBeLessThanOrEqual(0.05);
  });
});

describe("fake generators", () => {
  it("are seeded, in [0, 1], and keep only the asked-for digits", () => {
    const a = fakeSamples({ kind: "drop-digits", keep: [3, 7] }, 40, 5), b = fakeSamples({ kind: "drop-digits", keep: [3, 7] }, 40, 5);
    expect(a.images.shape).toEqual([40, 28, 28, 1]);
    expect(Array.from(a.source)).toEqual(Array.from(b.source));
    expect(new Set(a.labels)).toEqual(new Set([3, 7]));
    const noisy = fakeSamples({ kind: "noise", sigma: 0.3 }, 10, 1);
    const [lo, hi] = tf.tidy(() => [noisy.images.min().dataSync()[0], noisy.images.max().dataSync()[0]]);
    expect(lo).toBe(0);
    expect(hi).toBe(1);
    tf.dispose([a.images, b.images, noisy.images]);
  });

  it("copies equal their training image; shifted copies are found by the shift search", () => {
    const pool = 300;
    const train = loadMnist("train", { limit: pool });
    const exact = fakeSamples({ kind: "memorise", pool }, 5, 3);
    const k = exact.source[0]!;
    const first = Array.from(exact.images.slice([0, 0, 0, 0], [1, 28, 28, 1]).dataSync(), (v) => Math.round(v * 255));
    expect(first).toEqual(Array.from(train.images.subarray(k * 784, (k + 1) * 784)));
    const moved = fakeSamples({ kind: "memorise", pool, shift: 1 }, 6, 4);
    const found = nearestNeighbourShifted(moved.images, train, 1);
    expect(Array.from(found.index)).toEqual(Array.from(moved.source));
    for (const d of found.distance) expect(d).toBeLessThan(1e-3);
    tf.dispose([exact.images, moved.images]);
  });

  it("shiftImages moves pixels down/right and fills with 0", () => {
    const x = tf.tensor4d(Array.from({ length: 784 }, (_, i) => (i === 0 ? 1 : 0)), [1, 28, 28, 1]);
    const moved = shiftImages(x, 2, 1);
    const data = Array.from(moved.dataSync());
    expect(data[2 * 28 + 1]).toBe(1);
    expect(data.reduce((a, b) => a + b, 0)).toBe(1);
    tf.dispose([x, moved]);
  });
});
