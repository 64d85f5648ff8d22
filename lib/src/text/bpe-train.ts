/**
 * Learning BPE merges from a corpus, fast enough for a whole book: the text is pre-tokenised
 * once into distinct words with counts, symbols become integer ids, and pair counts are updated
 * only for the words a merge touches. The merges equal those of the plain loop (count every
 * pair, merge the best, repeat) with the same tie-break.
 */
import { CourseError } from "../errors";
import { type Merge, type WordCount, pretokenize, replacePair, toSymbols } from "./bpe-core";

/** Distinct pre-tokens of a text as symbols, with how often each occurs (first-seen order). */
export function wordCounts(text: string): WordCount[] {
  const counts = new Map<string, number>();
  for (const chunk of pretokenize(text)) counts.set(chunk, (counts.get(chunk) ?? 0) + 1);
  return [...counts].map(([chunk, count]) => ({ symbols: toSymbols(chunk), count }));
}

export interface TrainBpeConfig {
  /** How many merges to learn (fewer if every word becomes a single token first). */
  numMerges: number;
  /** Called after each merge with its rank and the pair's count, e.g. for progress. */
  onMerge?: (rank: number, merge: Merge, count: number) => void;
}

/** Pairs of symbol ids as one number: a · 2^21 + b (ids stay below 2^21). */
const STRIDE = 2 ** 21;

/** The training state: words as id arrays, pair counts and which words hold each pair. */
class PairIndex {
  readonly counts = new Map<number, number>();
  readonly where = new Map<number, Set<number>>();

  constructor(readonly words: number[][], readonly freq: readonly number[]) {
    words.forEach((_, w) => this.add(w, 1));
  }

  /** Add (sign 1) or remove (sign −1) the pairs of word w. */
  add(w: number, sign: 1 | -1): void {
    const ids = this.words[w] as number[];
    const f = (this.freq[w] as number) * sign;
    for (let i = 0; i + 1 < ids.length; i++) {
      const key = (ids[i] as number) * STRIDE + (ids[i + 1] as number);
      const n = (this.counts.get(key) ?? 0) + f;
      if (n === 0) this.counts.delete(key);
      else this.counts.set(key, n);
      if (sign > 0) {
        const set = this.where.get(key);
        if (set) set.add(w);
        else this.where.set(key, new Set([w]));
      }
    }
  }

  /** Highest count; ties → the pair whose symbols sort first (a, then b). */
  best(names: readonly string[]): { key: number; count: number } | null {
    let key = -1, count = 0;
    for (const [k, n] of this.counts) {
      if (n > count || (n === count && precedes(k, key, names))) {
        key = k;
        count = n;
      }
    }
    return key < 0 ? null : { key, count };
  }

  /** Merge pair `key` into symbol `z` in every word that holds it. */
  merge(key: number, z: number): void {
    const a = Math.floor(key / STRIDE), b = key % STRIDE;
    for (const w of this.where.get(key) ?? []) {
      const ids = this.words[w] as number[];
      const out = replacePair(ids, a, b, z);
      if (out.length === ids.length) continue; // a stale entry: the pair left this word earlier
      this.add(w, -1);
      this.words[w] = out;
      this.add(w, 1);
    }
    this.where.delete(key);
  }
}

function precedes(k: number, than: number, names: readonly string[]): boolean {
  const [a, b] = [names[Math.floor(k / STRIDE)] as string, names[k % STRIDE] as string];
  const [c, d] = [names[Math.floor(than / STRIDE)] as string, names[than % STRIDE] as string];
  return a < c || (a === c && b < d);
}

/**
 * Learn `numMerges` merges from words with counts. Each step merges the most frequent adjacent
 * pair; ties go to the pair that sorts first, comparing a then b as strings (UTF-16 code units),
 * so the result never depends on the order of the words.
 */
export function trainBpeWords(words: readonly WordCount[], config: TrainBpeConfig): Merge[] {
  if (!(Number.isInteger(config.numMerges) && config.numMerges >= 0)) {
    throw new CourseError(`numMerges must be a whole number ≥ 0, got ${config.numMerges}.`);
  }
  const names: string[] = [];
  const ids = new Map<string, number>();
  const idOf = (s: string): number => {
    let id = ids.get(s);
    if (id === undefined) {
      id = names.length;
      if (id >= STRIDE) throw new CourseError(`Too many distinct symbols (limit ${STRIDE}).`);
      names.push(s);
      ids.set(s, id);
    }
    return id;
  };
  const index = new PairIndex(words.map((w) => w.symbols.map(idOf)), words.map((w) => w.count));
  const merges: Merge[] = [];
  while (merges.length < config.numMerges) {
    const best = index.best(names);
    if (!best) break;
    const a = names[Math.floor(best.key / STRIDE)] as string, b = names[best.key % STRIDE] as string;
    index.merge(best.key, idOf(a + b));
    merges.push([a, b]);
    config.onMerge?.(merges.length - 1, [a, b], best.count);
  }
  return merges;
}

/** Learn merges from a text: pre-tokenise it (`wordCounts`), then `trainBpeWords`. */
export function trainBpe(text: string, config: TrainBpeConfig): Merge[] {
  return trainBpeWords(wordCounts(text), config);
}
