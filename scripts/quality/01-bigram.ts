/**
 * Lesson 01 quality: validation NLL of the reference bigram model (tensors, float32) and of the
 * exact count model computed independently here in float64. The bar: they agree within 0.01.
 */
import { CharVocab, bigramCountsNll, charTokens, lesson, loadNames, setup, tf } from "@course/lib";
import type { Metrics } from "./types.ts";

/**
 * The oracle: add-α bigram counts in plain float64 (the library's `bigramCountsNll`, no tensors),
 * on the names joined by single boundaries — ".emma.olivia." has exactly the pairs of ".emma."
 * and ".olivia.", the end of one name being the start of the next.
 */
export function exactBigramNll(train: readonly string[], val: readonly string[], alpha: number): number {
  const vocab = CharVocab.fromWords(train);
  const stream = (words: readonly string[]) => charTokens(`.${words.join(".")}.`, vocab);
  return bigramCountsNll(stream(train), stream(val), vocab.size, alpha);
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
