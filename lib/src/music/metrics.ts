/**
 * Measuring generated chorales against real ones (lesson 09): key-normalised pitch-class
 * histograms, voice ranges and crossings, verbatim copies of two-bar windows, key agreement.
 */
import type { Rng } from "../random";
import type { Chorale, ChoraleStep } from "../data/jsbChorales";
import { choraleKey, pitchClassHistogram, rotateHistogram } from "./key";
import { keyIndex, type Key } from "./tokens";

/** Mean over chorales of each one's pitch-class histogram rotated so that its own key's tonic is 0. */
export function keyNormalisedHistogram(chorales: readonly Chorale[]): Float64Array {
  const mean = new Float64Array(12);
  for (const c of chorales) {
    const h = pitchClassHistogram(c);
    rotateHistogram(h, choraleKey(c).tonic).forEach((v, i) => { mean[i]! += v / chorales.length; });
  }
  return mean;
}

/** Total-variation distance ½·Σ|a − b| of the two sets' key-normalised histograms (0 … 1). */
export function histogramDistance(a: readonly Chorale[], b: readonly Chorale[]): number {
  const ha = keyNormalisedHistogram(a), hb = keyNormalisedHistogram(b);
  return ha.reduce((s, v, i) => s + Math.abs(v - hb[i]!), 0) / 2;
}

/** Lowest and highest pitch of each voice (S, A, T, B) in a set of chorales. */
export function voiceRanges(chorales: readonly Chorale[]): [number, number][] {
  const r: [number, number][] = Array.from({ length: 4 }, () => [Infinity, -Infinity]);
  for (const c of chorales) for (const step of c) step.forEach((p, v) => { if (p >= 0) r[v] = [Math.min(r[v]![0], p), Math.max(r[v]![1], p)]; });
  return r;
}

/** Fractions of steps with every sounding voice inside `ranges`, with no voice above the one over it, and both. */
export function voiceQuality(chorales: readonly Chorale[], ranges: readonly [number, number][]): { inRange: number; noCrossing: number; both: number } {
  let n = 0, inRange = 0, noCrossing = 0, both = 0;
  for (const c of chorales) {
    for (const step of c) {
      const sounding = step.map((p, v) => ({ p, v })).filter((x) => x.p >= 0);
      const ok = sounding.every(({ p, v }) => p >= ranges[v]![0] && p <= ranges[v]![1]);
      const ordered = sounding.every((x, i) => i === 0 || sounding[i - 1]!.p >= x.p);
      n++; inRange += +ok; noCrossing += +ordered; both += +(ok && ordered);
    }
  }
  return { inRange: inRange / n, noCrossing: noCrossing / n, both: both / n };
}

/** A window as text, pitches relative to its first sounding pitch: equal for transposed copies. */
function windowKey(c: Chorale, from: number, length: number): string {
  const first = c.slice(from, from + length).flat().find((p) => p >= 0) ?? 0;
  return c.slice(from, from + length).map((s) => s.map((p) => (p < 0 ? "r" : p - first)).join(",")).join(";");
}

/**
 * Fraction of `chorales`' windows of `bars` bars (16 steps a bar, taken a bar apart) that occur
 * verbatim, in any transposition and at any offset, in `training`.
 */
export function copyRate(chorales: readonly Chorale[], training: readonly Chorale[], bars = 2): number {
  const L = 16 * bars, seen = new Set<string>();
  for (const c of training) for (let t = 0; t + L <= c.length; t++) seen.add(windowKey(c, t, L));
  let n = 0, copies = 0;
  for (const c of chorales) for (let t = 0; t + L <= c.length; t += 16) { n++; copies += +seen.has(windowKey(c, t, L)); }
  return n > 0 ? copies / n : 0;
}

/** How often the key found in each chorale is the key asked for (exactly, and the mode alone). */
export function keyAgreement(asked: readonly Key[], chorales: readonly Chorale[]): { key: number; mode: number } {
  let key = 0, mode = 0;
  chorales.forEach((c, i) => {
    const found = choraleKey(c);
    key += +(keyIndex(found) === keyIndex(asked[i]!));
    mode += +(found.mode === asked[i]!.mode);
  });
  return { key: key / chorales.length, mode: mode / chorales.length };
}

/**
 * The shuffled-notes control: each chorale keeps its rhythm and voices, but every note's pitch is
 * drawn from the notes the same voice sings anywhere in `pool` (chorales in many keys): the notes
 * are Bach's, the key is gone.
 */
export function shuffledNotes(chorales: readonly Chorale[], pool: readonly Chorale[], rng: Rng): Chorale[] {
  const byVoice: number[][] = [[], [], [], []];
  for (const c of pool) for (const s of c) s.forEach((p, v) => { if (p >= 0) byVoice[v]!.push(p); });
  return chorales.map((c) => {
    const drawn = [0, 1, 2, 3].map(() => -1);
    return c.map((step, t) => step.map((p, v) => {
      if (p < 0) return -1;
      if (t === 0 || c[t - 1]![v] !== p) drawn[v] = byVoice[v]![rng.int(byVoice[v]!.length)]!; // a new note
      return drawn[v]!;
    }) as ChoraleStep);
  });
}
