/**
 * Training data for lesson 09: chorales with their keys, transposed copies (augmentation), the
 * concatenated token stream (the n-gram's), and batches of windows for the networks that keep
 * each chorale's header (its key) at the front and go on from a step boundary, so a model always
 * sees the key it was asked for and position t of every window is voice t mod 4.
 */
import { CourseError } from "../errors";
import type { Rng } from "../random";
import { tf } from "../tf";
import type { Chorale } from "../data/jsbChorales";
import type { Batch } from "../lm/train";
import { choraleKey } from "./key";
import { VOICES, encodeChorale, keyedWindow, transposeChorale, transposeKey, type Key } from "./tokens";

export interface KeyedChorale {
  chorale: Chorale;
  key: Key;
}

/** Each chorale with its Krumhansl–Schmuckler key. */
export function withKeys(chorales: readonly Chorale[]): KeyedChorale[] {
  return chorales.map((chorale) => {
    const { tonic, mode } = choraleKey(chorale);
    return { chorale, key: { tonic, mode } };
  });
}

/**
 * Every chorale moved by each of `shifts` semitones (0 = as written), keys moved with it; a
 * shift that would take a pitch out of the vocabulary is skipped for that chorale.
 */
export function transposedCopies(items: readonly KeyedChorale[], shifts: readonly number[]): KeyedChorale[] {
  const out: KeyedChorale[] = [];
  for (const { chorale, key } of items) {
    for (const s of shifts) {
      const moved = transposeChorale(chorale, s);
      if (moved) out.push({ chorale: moved, key: transposeKey(key, s) });
    }
  }
  return out;
}

/** The semitone shifts −6 … +5: every key once. */
export const ALL_SHIFTS = Array.from({ length: 12 }, (_, i) => i - 6);

/** All chorales' tokens, one after another (each opens with its header step). */
export function tokenStream(items: readonly KeyedChorale[]): Int32Array {
  return Int32Array.from(items.flatMap(({ chorale, key }) => encodeChorale(chorale, key)));
}

/** Each chorale's own tokens, header step first. */
export function tokenPieces(items: readonly KeyedChorale[]): Int32Array[] {
  return items.map(({ chorale, key }) => Int32Array.from(encodeChorale(chorale, key)));
}

/**
 * B windows of T tokens that each open with a chorale's header step and go on with T − 4 tokens of
 * the same chorale from a random step on (`keyedWindow`: its first step written out): the key stays
 * in view however far into the piece the window starts. Every step of every piece is equally
 * likely. y is x shifted by one; the header's first three targets are −1 (ignored by the loss).
 * → x, y: [B, T] int32
 */
export function keyedWindows(pieces: readonly Int32Array[], blockSize: number, batchSize: number, rng: Rng): Batch {
  const body = blockSize - VOICES;
  if (body < VOICES || body % VOICES !== 0) throw new CourseError(`keyedWindows needs a blockSize of 4·k tokens with k ≥ 2, got ${blockSize}.`);
  // Starts of each piece: steps s with the header + s's window + one more target inside the piece.
  const starts = pieces.map((p) => Math.max(0, Math.floor((p.length - VOICES - body - 1) / VOICES) + 1));
  const cumulative: number[] = [];
  let total = 0;
  for (const n of starts) cumulative.push((total += n));
  if (total < 1) throw new CourseError(`No chorale is long enough for a window of ${blockSize} tokens; use a smaller blockSize.`);
  const x = new Int32Array(batchSize * blockSize), y = new Int32Array(batchSize * blockSize);
  for (let b = 0; b < batchSize; b++) {
    const r = rng.int(total);
    const i = cumulative.findIndex((c) => c > r);
    const at = VOICES * (r - (cumulative[i]! - starts[i]!)) + VOICES; // first body token
    const w = keyedWindow(pieces[i]!, at, body + 1); // header + T − 3 tokens
    x.set(w.slice(0, blockSize), b * blockSize);
    y.set([-1, -1, -1, ...w.slice(VOICES)], b * blockSize);
  }
  return { x: tf.tensor2d(x, [batchSize, blockSize], "int32"), y: tf.tensor2d(y, [batchSize, blockSize], "int32") };
}
