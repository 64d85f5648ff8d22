// Generated from solutions/12-responsible.ts by `npm run exercises`: the types `lesson("12")` returns. Do not edit.
/**
 * The green list after token `prev`: a Uint8Array of `vocabSize` entries, 1 for green ids, 0 for
 * red. Shuffle the ids 0 … V−1 with `new Rng(greenListSeed(key, prev)).shuffle(...)`; the first
 * `greenSize(vocabSize, gamma)` ids of the shuffled list are green.
 */
export declare function greenList(prev: number, vocabSize: number, key: number, gamma: number): Uint8Array;
/**
 * How many of tokens[1 …] are green after their predecessor (tokens[0] only serves as the first
 * predecessor), counting every position, repeats included. Use your `greenList`.
 */
export declare function countGreen(tokens: readonly number[], vocabSize: number, key: number, gamma: number): number;
/** The one-proportion z statistic z = (green − γT) / √(T γ (1 − γ)). */
export declare function zScore(green: number, scored: number, gamma: number): number;
/**
 * Area under the ROC curve of a detector: the fraction of (positive, negative) pairs in which
 * the positive scores higher, a tie counting ½.
 */
export declare function rocAuc(positives: readonly number[], negatives: readonly number[]): number;
/**
 * The extraction test: the fraction of continuations that reproduce their truth exactly — every
 * token of `truths[i]`, in order, at the start of `continuations[i]`.
 */
export declare function extractionRate(continuations: readonly (readonly number[])[], truths: readonly (readonly number[])[]): number;
/**
 * The bias ratio of generated names: the female share of `generated` over the female share of
 * `training`, where a list's female share counts only names found in exactly one of the two
 * lists: female-only / (female-only + male-only).
 */
export declare function biasRatio(generated: readonly string[], training: readonly string[], female: ReadonlySet<string>, male: ReadonlySet<string>): number;
