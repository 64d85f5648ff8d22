/**
 * Pitch-class histograms and Krumhansl–Schmuckler key finding (Krumhansl, 1990): correlate a
 * piece's duration-weighted pitch-class histogram with the Krumhansl–Kessler major and minor
 * profiles rotated to each of the 12 tonics; the best of the 24 correlations names the key.
 */
import type { Chorale } from "../data/jsbChorales";
import type { Key } from "./tokens";

/** Krumhansl–Kessler probe-tone ratings, tonic first (Krumhansl & Kessler, 1982). */
export const KK_MAJOR = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88];
export const KK_MINOR = [6.33, 2.68, 3.52, 5.38, 2.6, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17];

/**
 * Share of sounding voice-steps on each pitch class (C = 0 … B = 11), summing to 1; every step a
 * voice sounds counts once, so a note counts by its length. All zeros for a silent chorale.
 */
export function pitchClassHistogram(chorale: Chorale): Float64Array {
  const h = new Float64Array(12);
  let total = 0;
  for (const step of chorale) {
    for (const p of step) {
      if (p < 0) continue;
      h[p % 12]! += 1;
      total++;
    }
  }
  if (total > 0) for (let i = 0; i < 12; i++) h[i]! /= total;
  return h;
}

/** Pearson correlation of two equal-length vectors (0 when either is constant). */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) { ma += a[i] as number; mb += b[i] as number; }
  ma /= n; mb /= n;
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < n; i++) {
    const da = (a[i] as number) - ma, db = (b[i] as number) - mb;
    ab += da * db; aa += da * da; bb += db * db;
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}

/** The key whose rotated profile correlates best with `histogram`, and that correlation r. */
export function findKey(histogram: ArrayLike<number>): Key & { r: number } {
  let best: Key & { r: number } = { tonic: 0, mode: "major", r: -Infinity };
  for (const [mode, profile] of [["major", KK_MAJOR], ["minor", KK_MINOR]] as const) {
    for (let tonic = 0; tonic < 12; tonic++) {
      // Profile rotated so that its tonic rating sits on pitch class `tonic`.
      const rotated = Array.from({ length: 12 }, (_, pc) => profile[(pc - tonic + 12) % 12] as number);
      const r = pearson(histogram, rotated);
      if (r > best.r) best = { tonic, mode, r };
    }
  }
  return best;
}

/** Key of a chorale by Krumhansl–Schmuckler. */
export function choraleKey(chorale: Chorale): Key & { r: number } {
  return findKey(pitchClassHistogram(chorale));
}

/** A histogram rotated so that pitch class `tonic` lands on 0. */
export function rotateHistogram(h: ArrayLike<number>, tonic: number): Float64Array {
  return Float64Array.from({ length: 12 }, (_, i) => h[(i + tonic) % 12] as number);
}
