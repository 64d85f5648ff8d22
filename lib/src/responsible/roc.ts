/**
 * ROC curves and the area under them, for any detector that gives a score (higher = "more
 * likely fake" or "more likely watermarked"). The AUC is the probability that a random positive
 * scores above a random negative, ties counting one half (the Mann–Whitney U statistic / n₊n₋).
 */
import { CourseError } from "../errors";

export interface RocCurve {
  /** False-positive rate at each threshold, from 0 up to 1.  */
  fpr: number[];
  /** True-positive rate at each threshold. */
  tpr: number[];
  /** The thresholds: a score ≥ threshold counts as positive (the first is +∞). */
  thresholds: number[];
}

function checkScores(positives: ArrayLike<number>, negatives: ArrayLike<number>, who: string): void {
  if (positives.length === 0 || negatives.length === 0) {
    throw new CourseError(`${who}: needs at least one positive and one negative score, got ${positives.length} and ${negatives.length}.`);
  }
}

/** The ROC curve: one point per distinct score, sweeping the threshold from high to low. */
export function rocCurve(positives: ArrayLike<number>, negatives: ArrayLike<number>): RocCurve {
  checkScores(positives, negatives, "rocCurve()");
  const all = [...Array.from(positives, (s) => ({ s, pos: 1 })), ...Array.from(negatives, (s) => ({ s, pos: 0 }))];
  all.sort((a, b) => b.s - a.s);
  const curve: RocCurve = { fpr: [0], tpr: [0], thresholds: [Infinity] };
  let tp = 0, fp = 0;
  for (let i = 0; i < all.length; i++) {
    if (all[i]!.pos) tp++;
    else fp++;
    if (i + 1 < all.length && all[i + 1]!.s === all[i]!.s) continue; // tied scores move together
    curve.fpr.push(fp / negatives.length);
    curve.tpr.push(tp / positives.length);
    curve.thresholds.push(all[i]!.s);
  }
  return curve;
}

/** Area under the ROC curve: P(positive scores higher than negative), ties counting ½. */
export function auc(positives: ArrayLike<number>, negatives: ArrayLike<number>): number {
  checkScores(positives, negatives, "auc()");
  const neg = Float64Array.from(negatives).sort();
  let wins = 0;
  for (let i = 0; i < positives.length; i++) {
    const s = positives[i]!;
    const below = lowerBound(neg, s), notAbove = upperBound(neg, s);
    wins += below + 0.5 * (notAbove - below);
  }
  return wins / (positives.length * neg.length);
}

/** Fraction of scores strictly above `threshold`. */
export function rateAbove(scores: ArrayLike<number>, threshold: number): number {
  let n = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i]! > threshold) n++;
  return n / Math.max(scores.length, 1);
}

/** First index with sorted[i] ≥ x. */
function lowerBound(sorted: Float64Array, x: number): number {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index with sorted[i] > x. */
function upperBound(sorted: Float64Array, x: number): number {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
