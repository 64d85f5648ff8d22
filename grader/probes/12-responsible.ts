/** Probes for lesson 12: each runs one exercise on seeded inputs, inside the grader's probe process. */
import { Rng, auc, detectWatermark, extractionRate, greenList, greenSize, watermarkZ, biasRatio } from "@course/lib";
import type { LessonModule } from "@course/lib";

type GreenList = (prev: number, V: number, key: number, gamma: number) => Uint8Array;
type CountGreen = (tokens: number[], V: number, key: number, gamma: number) => number;
type ZScore = (green: number, T: number, gamma: number) => number;
type RocAuc = (pos: number[], neg: number[]) => number;
type Extraction = (c: number[][], t: number[][]) => number;
type Bias = (g: string[], t: string[], f: Set<string>, m: Set<string>) => number;

/** n token ids below V drawn by `seed`. */
const tokens = (n: number, V: number, seed: number) => {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => rng.int(V));
};

/** Tokens whose every step is green under (key, γ): a perfectly watermarked text. */
function allGreen(n: number, V: number, key: number, gamma: number, seed: number): number[] {
  const rng = new Rng(seed), out = [rng.int(V)];
  while (out.length < n) {
    const mask = greenList(out[out.length - 1]!, V, key, gamma);
    const green = [...mask.keys()].filter((i) => mask[i]);
    out.push(green[rng.int(green.length)]!);
  }
  return out;
}

export const probes = {
  greenList: (m: LessonModule, input: { V: number; key: number; gamma: number; prevs: number[] }) => {
    const f = m.greenList as GreenList;
    const lists = input.prevs.map((p) => Array.from(f(p, input.V, input.key, input.gamma)));
    return {
      lists,
      library: input.prevs.map((p) => Array.from(greenList(p, input.V, input.key, input.gamma))),
      sizes: lists.map((l) => l.reduce((a, b) => a + b, 0)),
      expectedSize: greenSize(input.V, input.gamma),
      otherKey: Array.from(f(input.prevs[0]!, input.V, input.key + 1, input.gamma)),
    };
  },

  zScore: (m: LessonModule, input: { n: number; V: number; key: number; gamma: number; seed: number }) => {
    const count = m.countGreen as CountGreen, z = m.zScore as ZScore;
    const random = tokens(input.n, input.V, input.seed), marked = allGreen(input.n, input.V, input.key, input.gamma, input.seed + 1);
    const cfg = { key: input.key, gamma: input.gamma };
    return {
      greenRandom: count(random, input.V, input.key, input.gamma),
      greenMarked: count(marked, input.V, input.key, input.gamma),
      libraryRandom: detectWatermark(random, input.V, cfg, false).green,
      z: z(30, 100, 0.25), libraryZ: watermarkZ(30, 100, 0.25),
      zMarked: z(input.n - 1, input.n - 1, input.gamma),
      zChance: z(input.gamma * 200, 200, input.gamma),
    };
  },

  rocAuc: (m: LessonModule, input: { n: number; seed: number; shift: number }) => {
    const rng = new Rng(input.seed), f = m.rocAuc as RocAuc;
    const pos = Array.from({ length: input.n }, () => Math.round(10 * (rng.normal() + input.shift)) / 10);
    const neg = Array.from({ length: input.n + 3 }, () => Math.round(10 * rng.normal()) / 10);
    return {
      auc: f(pos, neg), library: auc(pos, neg), swapped: f(neg, pos),
      perfect: f([2, 3], [0, 1]), ties: f([1, 1], [1, 1]), tiny: f([0.9, 0.4], [0.5, 0.1, 0.4]),
    };
  },

  extraction: (m: LessonModule, input: { n: number; len: number; seed: number }) => {
    const rng = new Rng(input.seed), f = m.extractionRate as Extraction;
    const truths = Array.from({ length: input.n }, () => Array.from({ length: input.len }, () => rng.int(5)));
    const conts = truths.map((t, i) => (i % 3 === 0 ? [...t, 1, 2] : i % 3 === 1 ? t.map((x, j) => (j === t.length - 1 ? x + 1 : x)) : t.slice(0, -1)));
    return { rate: f(conts, truths), library: extractionRate(conts, truths), exact: f(truths, truths), none: f(truths.map((t) => t.map((x) => x + 1)), truths) };
  },

  biasRatio: (m: LessonModule, input: { seed: number }) => {
    const female = new Set(["ann", "mary", "jo", "lee", "eve", "ida"]), male = new Set(["bob", "jim", "jo", "lee", "tom"]);
    const pool = ["ann", "mary", "eve", "ida", "bob", "jim", "tom", "jo", "lee", "zed"];
    const rng = new Rng(input.seed);
    const training = Array.from({ length: 40 }, () => pool[rng.int(pool.length)]!);
    const generated = Array.from({ length: 30 }, () => pool[rng.int(pool.length)]!);
    const f = m.biasRatio as Bias;
    return {
      ratio: f(generated, training, female, male), library: biasRatio(generated, training, female, male),
      same: f(training, training, female, male),
      // 3 female-only of 4 one-list names, over 1 of 2: (3/4) / (1/2) = 1.5; "jo" (both) and "zed" (neither) do not count
      tiny: f(["ann", "eve", "mary", "bob", "jo", "zed"], ["ann", "tom", "lee"], female, male),
    };
  },
};
