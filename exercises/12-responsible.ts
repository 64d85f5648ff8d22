// Exercise file generated from solutions/12-responsible.ts by `npm run exercises`.
// Replace each TODO + throw with your code; `npm run grade` checks it. The generator never
// overwrites this file once you have changed it.
/**
 * Lesson 12 — responsible generative AI, measured: the green-list partition and z-test of a text
 * watermark (Kirchenbauer et al. 2023), the ROC AUC of a fake-image detector, the extraction
 * test of memorised text (Carlini et al.), and the bias ratio of generated names.
 */
import { NotImplementedError, Rng, greenListSeed, greenSize } from "@course/lib";

/**
 * The green list after token `prev`: a Uint8Array of `vocabSize` entries, 1 for green ids, 0 for
 * red. Shuffle the ids 0 … V−1 with `new Rng(greenListSeed(key, prev)).shuffle(...)`; the first
 * `greenSize(vocabSize, gamma)` ids of the shuffled list are green.
 */
export function greenList(prev: number, vocabSize: number, key: number, gamma: number): Uint8Array {
  // TODO(12.green-list): write greenList — notebooks/12-responsible.ipynb, section "3. The green list" explains it.
  throw new NotImplementedError("12.green-list", "exercises/12-responsible.ts", "greenList", "notebooks/12-responsible.ipynb, section \"3. The green list\"");
}

/**
 * How many of tokens[1 …] are green after their predecessor (tokens[0] only serves as the first
 * predecessor), counting every position, repeats included. Use your `greenList`.
 */
export function countGreen(tokens: readonly number[], vocabSize: number, key: number, gamma: number): number {
  // TODO(12.z-score): write countGreen — notebooks/12-responsible.ipynb, section "4. Detecting the watermark: the z-test" explains it.
  throw new NotImplementedError("12.z-score", "exercises/12-responsible.ts", "countGreen", "notebooks/12-responsible.ipynb, section \"4. Detecting the watermark: the z-test\"");
}

/** The one-proportion z statistic z = (green − γT) / √(T γ (1 − γ)). */
export function zScore(green: number, scored: number, gamma: number): number {
  // TODO(12.z-score): write zScore — notebooks/12-responsible.ipynb, section "4. Detecting the watermark: the z-test" explains it.
  throw new NotImplementedError("12.z-score", "exercises/12-responsible.ts", "zScore", "notebooks/12-responsible.ipynb, section \"4. Detecting the watermark: the z-test\"");
}

/**
 * Area under the ROC curve of a detector: the fraction of (positive, negative) pairs in which
 * the positive scores higher, a tie counting ½.
 */
export function rocAuc(positives: readonly number[], negatives: readonly number[]): number {
  // TODO(12.roc-auc): write rocAuc — notebooks/12-responsible.ipynb, section "6. ROC and AUC" explains it.
  throw new NotImplementedError("12.roc-auc", "exercises/12-responsible.ts", "rocAuc", "notebooks/12-responsible.ipynb, section \"6. ROC and AUC\"");
}

/**
 * The extraction test: the fraction of continuations that reproduce their truth exactly — every
 * token of `truths[i]`, in order, at the start of `continuations[i]`.
 */
export function extractionRate(continuations: readonly (readonly number[])[], truths: readonly (readonly number[])[]): number {
  // TODO(12.extraction): write extractionRate — notebooks/12-responsible.ipynb, section "8. Memorised text: the extraction test" explains it.
  throw new NotImplementedError("12.extraction", "exercises/12-responsible.ts", "extractionRate", "notebooks/12-responsible.ipynb, section \"8. Memorised text: the extraction test\"");
}

/**
 * The bias ratio of generated names: the female share of `generated` over the female share of
 * `training`, where a list's female share counts only names found in exactly one of the two
 * lists: female-only / (female-only + male-only).
 */
export function biasRatio(generated: readonly string[], training: readonly string[], female: ReadonlySet<string>, male: ReadonlySet<string>): number {
  // TODO(12.bias-ratio): write biasRatio — notebooks/12-responsible.ipynb, section "10. Bias: whose names?" explains it.
  throw new NotImplementedError("12.bias-ratio", "exercises/12-responsible.ts", "biasRatio", "notebooks/12-responsible.ipynb, section \"10. Bias: whose names?\"");
}
