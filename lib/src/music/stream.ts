/**
 * Training data for lesson 09: chorales with their keys, transposed copies (augmentation), the
 * concatenated token stream, and batches of windows that start on a step boundary so that
 * position t of every window is voice t mod 4.
 */
import { CourseError } from "../errors";
import type { Rng } from "../random";
import { tf } from "../tf";
import type { Chorale } from "../data/jsbChorales";
import type { Batch } from "../lm/train";
import { choraleKey } from "./key";
import { VOICES, encodeChorale, transposeChorale, transposeKey, type Key } from "./tokens";

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

/**
 * B random windows of T + 1 tokens whose first token is a soprano (a multiple of 4 in the
 * stream): x = the first T, y = the same shifted by one.  → x, y: [B, T] int32
 */
export function stepWindows(tokens: Int32Array, blockSize: number, batchSize: number, rng: Rng): Batch {
  const starts = Math.floor((tokens.length - blockSize - 1) / VOICES) + 1;
  if (starts < 1) throw new CourseError(`The token stream has ${tokens.length} tokens; a window needs blockSize + 1 = ${blockSize + 1}.`);
  const x = new Int32Array(batchSize * blockSize), y = new Int32Array(batchSize * blockSize);
  for (let b = 0; b < batchSize; b++) {
    const start = VOICES * rng.int(starts);
    x.set(tokens.subarray(start, start + blockSize), b * blockSize);
    y.set(tokens.subarray(start + 1, start + blockSize + 1), b * blockSize);
  }
  return { x: tf.tensor2d(x, [batchSize, blockSize], "int32"), y: tf.tensor2d(y, [batchSize, blockSize], "int32") };
}
