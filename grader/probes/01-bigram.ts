/** Probes for lesson 01: each runs one exercise on seeded inputs, in the grader's probe process. */
import { tf, CharVocab, Rng, loadNames } from "@course/lib";
import type { LessonModule } from "@course/lib";

const SMALL = ["emma", "olivia", "ava", "isabella", "sophia", "mia", "ella", "avi"];

function words(set: "small" | "train" | "val"): string[] {
  if (set === "small") return SMALL;
  const names = loadNames();
  return set === "train" ? names.train : names.val;
}

/** A bigram matrix built here with plain tensor ops, so later exercises are tested on their own. */
function referenceProbs(ws: readonly string[], vocab: CharVocab, alpha: number): tf.Tensor2D {
  const V = vocab.size, n = new Float32Array(V * V).fill(alpha);
  for (const w of ws) {
    const ids = [0, ...vocab.encode(w), 0];
    for (let i = 0; i + 1 < ids.length; i++) n[(ids[i] as number) * V + (ids[i + 1] as number)]! += 1;
  }
  return tf.tidy(() => { const t = tf.tensor2d(n, [V, V]); return t.div(t.sum(1, true)); });
}

/** Seeded integer counts [V, V] with some zero rows entries. */
function randomCounts(V: number, seed: number): tf.Tensor2D {
  const rng = new Rng(seed);
  const data = Int32Array.from({ length: V * V }, () => (rng.uniform() < 0.3 ? 0 : rng.int(50)));
  for (let a = 0; a < V; a++) data[a * V + a] = 1 + rng.int(5); // every row has a count
  return tf.tensor2d(data, [V, V], "int32");
}

export const probes = {
  counts: (m: LessonModule, input: { set: "small" | "train" }) => {
    const ws = words(input.set);
    return m.bigramCounts(ws, CharVocab.fromWords(ws));
  },

  probs: (m: LessonModule, input: { V: number; alpha: number; seed: number }) =>
    tf.tidy(() => m.bigramProbs(randomCounts(input.V, input.seed), input.alpha)),

  temperature: (m: LessonModule, input: { temperature: number }) =>
    tf.tidy(() => m.applyTemperature(tf.tensor1d([0.5, 0.25, 0.125, 0.125, 0]), input.temperature)),

  badTemperature: (m: LessonModule, input: { temperature: number }) => {
    try {
      tf.tidy(() => m.applyTemperature(tf.tensor1d([0.5, 0.5]), input.temperature));
      return { threw: false, message: "" };
    } catch (err) {
      return { threw: true, message: String((err as Error).message) };
    }
  },

  sample: (m: LessonModule, input: { count: number; temperature: number; seed: number }) => {
    const ws = words("train");
    const vocab = CharVocab.fromWords(ws);
    const P = referenceProbs(ws, vocab, 1);
    const rng = new Rng(input.seed);
    try {
      return Array.from({ length: input.count }, () => m.sampleName(P, vocab, rng, input.temperature));
    } finally {
      P.dispose();
    }
  },

  nll: (m: LessonModule, input: { fit: "small" | "train"; score: "small" | "val"; uniform?: boolean }) => {
    const fitWords = words(input.fit);
    const vocab = CharVocab.fromWords(fitWords);
    const P = input.uniform
      ? tf.fill([vocab.size, vocab.size], 1 / vocab.size) as tf.Tensor2D
      : referenceProbs(fitWords, vocab, 1);
    try {
      return { nll: m.meanNll(P, words(input.score), vocab) as number, V: vocab.size };
    } finally {
      P.dispose();
    }
  },
};
