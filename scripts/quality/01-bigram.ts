/**
 * Lesson 01 quality: validation NLL of the reference bigram model (tensors, float32) and of the
 * exact count model computed independently here in float64. The bar: they agree within 0.01.
 */
import { CharVocab, lesson, loadNames, setup, tf } from "@course/lib";
import type { Metrics } from "./types.ts";

/** NLL of add-α bigram counts, in plain float64 JavaScript: the oracle. */
export function exactBigramNll(train: readonly string[], val: readonly string[], alpha: number): number {
  const pairs = (w: string) => { const s = `.${w}.`; return [...s].slice(1).map((c, i) => [s[i] as string, c] as const); };
  const counts = new Map<string, Map<string, number>>();
  const chars = new Set<string>(["."]);
  for (const w of train) for (const c of w) chars.add(c);
  for (const w of train) for (const [a, b] of pairs(w)) {
    const row = counts.get(a) ?? new Map<string, number>();
    row.set(b, (row.get(b) ?? 0) + 1);
    counts.set(a, row);
  }
  const V = chars.size;
  let sum = 0, n = 0;
  for (const w of val) for (const [a, b] of pairs(w)) {
    const row = counts.get(a);
    const rowTotal = [...(row?.values() ?? [])].reduce((s, v) => s + v, 0);
    sum += Math.log(((row?.get(b) ?? 0) + alpha) / (rowTotal + alpha * V));
    n++;
  }
  return -sum / n;
}

export async function measure(): Promise<Metrics> {
  await setup({ seed: 42, quiet: true });
  const ex = lesson("01", { target: "solutions" });
  const { train, val } = loadNames();
  const vocab = CharVocab.fromWords(train);
  const counts = ex.bigramCounts(train, vocab) as tf.Tensor2D;
  const P = ex.bigramProbs(counts, 1) as tf.Tensor2D;
  const valNll = ex.meanNll(P, val, vocab) as number;
  const trainNll = ex.meanNll(P, train, vocab) as number;
  tf.dispose([counts, P]);
  const exact = exactBigramNll(train, val, 1);
  return {
    val_nll: valNll,
    train_nll: trainNll,
    exact_val_nll: exact,
    val_nll_gap: Math.abs(valNll - exact),
    bar_met: Math.abs(valNll - exact) <= 0.01 ? 1 : 0,
  };
}

/** README cell: the tensor model's validation NLL beside the float64 oracle's. */
export function summary(m: Metrics): string {
  return `val NLL ${m.val_nll?.toFixed(3)} (exact counts ${m.exact_val_nll?.toFixed(3)})`;
}
