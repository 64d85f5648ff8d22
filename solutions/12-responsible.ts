/**
 * Lesson 12 — responsible generative AI, measured: the green-list partition and z-test of a text
 * watermark (Kirchenbauer et al. 2023), the ROC AUC of a fake-image detector, the extraction
 * test of memorised text (Carlini et al.), and the bias ratio of generated names.
 */
import { Rng, greenListSeed, greenSize } from "@course/lib";

/**
 * The green list after token `prev`: a Uint8Array of `vocabSize` entries, 1 for green ids, 0 for
 * red. Shuffle the ids 0 … V−1 with `new Rng(greenListSeed(key, prev)).shuffle(...)`; the first
 * `greenSize(vocabSize, gamma)` ids of the shuffled list are green.
 */
export function greenList(prev: number, vocabSize: number, key: number, gamma: number): Uint8Array {
  // BEGIN SOLUTION exercise=12.green-list section="3. The green list"
  const ids = new Rng(greenListSeed(key, prev)).shuffle(Array.from({ length: vocabSize }, (_, i) => i));
  const mask = new Uint8Array(vocabSize);
  for (let i = 0; i < greenSize(vocabSize, gamma); i++) mask[ids[i]!] = 1;
  return mask;
  // END SOLUTION
}

/**
 * How many of tokens[1 …] are green after their predecessor (tokens[0] only serves as the first
 * predecessor), counting every position, repeats included. Use your `greenList`.
 */
export function countGreen(tokens: readonly number[], vocabSize: number, key: number, gamma: number): number {
  // BEGIN SOLUTION exercise=12.z-score section="4. Detecting the watermark: the z-test"
  let green = 0;
  for (let t = 1; t < tokens.length; t++) green += greenList(tokens[t - 1]!, vocabSize, key, gamma)[tokens[t]!]!;
  return green;
  // END SOLUTION
}

/** The one-proportion z statistic z = (green − γT) / √(T γ (1 − γ)). */
export function zScore(green: number, scored: number, gamma: number): number {
  // BEGIN SOLUTION exercise=12.z-score section="4. Detecting the watermark: the z-test"
  return (green - gamma * scored) / Math.sqrt(scored * gamma * (1 - gamma));
  // END SOLUTION
}

/**
 * Area under the ROC curve of a detector: the fraction of (positive, negative) pairs in which
 * the positive scores higher, a tie counting ½.
 */
export function rocAuc(positives: readonly number[], negatives: readonly number[]): number {
  // BEGIN SOLUTION exercise=12.roc-auc section="6. ROC and AUC"
  let wins = 0;
  for (const p of positives) for (const n of negatives) wins += p > n ? 1 : p === n ? 0.5 : 0;
  return wins / (positives.length * negatives.length);
  // END SOLUTION
}

/**
 * The extraction test: the fraction of continuations that reproduce their truth exactly — every
 * token of `truths[i]`, in order, at the start of `continuations[i]`.
 */
export function extractionRate(continuations: readonly (readonly number[])[], truths: readonly (readonly number[])[]): number {
  // BEGIN SOLUTION exercise=12.extraction section="8. Memorised text: the extraction test"
  let hits = 0;
  continuations.forEach((c, i) => {
    const truth = truths[i]!;
    if (truth.every((tok, j) => c[j] === tok)) hits++;
  });
  return hits / truths.length;
  // END SOLUTION
}

/**
 * The bias ratio of generated names: the female share of `generated` over the female share of
 * `training`, where a list's female share counts only names found in exactly one of the two
 * lists: female-only / (female-only + male-only).
 */
export function biasRatio(generated: readonly string[], training: readonly string[], female: ReadonlySet<string>, male: ReadonlySet<string>): number {
  // BEGIN SOLUTION exercise=12.bias-ratio section="10. Bias: whose names?"
  const share = (names: readonly string[]) => {
    let f = 0, m = 0;
    for (const n of names) {
      if (female.has(n) && !male.has(n)) f++;
      if (male.has(n) && !female.has(n)) m++;
    }
    return f / (f + m);
  };
  return share(generated) / share(training);
  // END SOLUTION
}
