/** The reference splits' shared rule: the first floor(0.9·n) items train, the rest validate. */

/** Fraction of a dataset that goes to training in the reference splits. */
export const TRAIN_FRACTION = 0.9;

/** Number of training items in the reference splits: floor(0.9·n). */
export function trainCount(n: number): number {
  return Math.floor(TRAIN_FRACTION * n);
}
