/**
 * Lesson 04 — tokenizers: byte-level BPE, as GPT-2 does it.
 */
import { CourseError, UNICODE_TO_BYTE, pairKey, pretokenize, toSymbols } from "@course/lib";
import type { BpeTokenizer, Merge, WordCount } from "@course/lib";

/**
 * GPT-2's byte → symbol table, entry b for byte b. The bytes of "!"–"~" (33–126), "¡"–"¬"
 * (161–172) and "®"–"ÿ" (174–255) stand for themselves (`String.fromCharCode(b)`); the other 68
 * bytes, in increasing order, get the characters 256, 257, 258, … So the space byte 32 becomes
 * "Ġ" (256 + 32) and newline 10 becomes "Ċ".
 */
export function bytesToUnicode(): string[] {
  // BEGIN SOLUTION exercise=04.bytes-to-unicode section="2. Bytes and UTF-8"
  const printable = (b: number) => (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
  const table: string[] = [];
  let n = 0;
  for (let b = 0; b < 256; b++) {
    table.push(String.fromCharCode(printable(b) ? b : 256 + n));
    if (!printable(b)) n++;
  }
  return table;
  // END SOLUTION
}

/**
 * How often each adjacent pair of symbols occurs, over all words, each word counting `count`
 * times. Keys are `pairKey(a, b)` = "a b".  ["Ġ","t","h","e"] ×3 → "Ġ t" 3, "t h" 3, "h e" 3
 * Library twin: `countPairs` from @course/lib is the same function (scripts/test/twins.test.ts checks it); calling it here earns no points.
 */
export function countPairs(words: readonly WordCount[]): Map<string, number> {
  // BEGIN SOLUTION exercise=04.count-pairs section="4. Counting pairs"
  const counts = new Map<string, number>();
  for (const { symbols, count } of words) {
    for (let i = 0; i + 1 < symbols.length; i++) {
      const key = pairKey(symbols[i] as string, symbols[i + 1] as string);
      counts.set(key, (counts.get(key) ?? 0) + count);
    }
  }
  return counts;
  // END SOLUTION
}

/**
 * A new list in which every a followed by b becomes the single symbol a + b, scanning left to
 * right (so a a a with the pair (a, a) gives aa a). The input list is left unchanged.
 * Library twin: `mergePair` from @course/lib is the same function (scripts/test/twins.test.ts checks it); calling it here earns no points.
 */
export function mergePair(symbols: readonly string[], a: string, b: string): string[] {
  // BEGIN SOLUTION exercise=04.merge-pair section="5. Learning merges"
  const out: string[] = [];
  for (let i = 0; i < symbols.length; i++) {
    if (symbols[i] === a && symbols[i + 1] === b) {
      out.push(a + b);
      i++;
    } else {
      out.push(symbols[i] as string);
    }
  }
  return out;
  // END SOLUTION
}

/**
 * Learn up to `numMerges` merges: count pairs, take the most frequent, merge it in every word,
 * repeat. Ties go to the pair whose key sorts first as a string (`"a b" < "c d"`, which orders
 * by a, then b). Stop early when no word has two symbols left.  → merges in the order learned
 */
export function learnMerges(words: readonly WordCount[], numMerges: number): Merge[] {
  // BEGIN SOLUTION exercise=04.learn-merges section="5. Learning merges"
  let current = words.map((w) => ({ symbols: [...w.symbols], count: w.count }));
  const merges: Merge[] = [];
  while (merges.length < numMerges) {
    let best: string | null = null;
    let bestCount = 0;
    for (const [key, n] of countPairs(current)) {
      if (n > bestCount || (n === bestCount && best !== null && key < best)) [best, bestCount] = [key, n];
    }
    if (best === null) break;
    const [a, b] = best.split(" ") as [string, string];
    merges.push([a, b]);
    current = current.map((w) => ({ symbols: mergePair(w.symbols, a, b), count: w.count }));
  }
  return merges;
  // END SOLUTION
}

/**
 * Encode one pre-token's symbols with ranked merges, as GPT-2 does: among the adjacent pairs
 * that have a rank, take the one of lowest rank and merge it everywhere (`mergePair`); repeat
 * until no adjacent pair has a rank.  ["Ġ","t","h","e"] → ["Ġthe"] with GPT-2's ranks
 */
export function encodeWord(symbols: readonly string[], ranks: ReadonlyMap<string, number>): string[] {
  // BEGIN SOLUTION exercise=04.encode-word section="6. Encoding and decoding"
  let word = [...symbols];
  while (word.length > 1) {
    let best: Merge | null = null;
    let bestRank = Infinity;
    for (let i = 0; i + 1 < word.length; i++) {
      const r = ranks.get(pairKey(word[i] as string, word[i + 1] as string));
      if (r !== undefined && r < bestRank) [best, bestRank] = [[word[i] as string, word[i + 1] as string], r];
    }
    if (best === null) break;
    word = mergePair(word, best[0], best[1]);
  }
  return word;
  // END SOLUTION
}

/**
 * Text → token ids: split with `pretokenize`, turn each piece into byte symbols with
 * `toSymbols`, merge them with `encodeWord` and the tokenizer's `ranks`, and look each final
 * symbol up in its `vocab`.
 */
export function encode(text: string, tokenizer: Pick<BpeTokenizer, "ranks" | "vocab">): number[] {
  // BEGIN SOLUTION exercise=04.encode section="6. Encoding and decoding"
  const ids: number[] = [];
  for (const chunk of pretokenize(text)) {
    for (const symbol of encodeWord(toSymbols(chunk), tokenizer.ranks)) {
      const id = tokenizer.vocab.get(symbol);
      if (id === undefined) throw new CourseError(`The symbol ${JSON.stringify(symbol)} has no id in the vocabulary.`);
      ids.push(id);
    }
  }
  return ids;
  // END SOLUTION
}

/**
 * Token ids → text: look each id up in `tokenizer.tokens`, join the symbol strings, turn every
 * symbol character back into its byte with `UNICODE_TO_BYTE`, and decode the bytes as UTF-8
 * (`new TextDecoder().decode(bytes)`). An id with no token is an error.
 */
export function decode(ids: readonly number[], tokenizer: Pick<BpeTokenizer, "tokens">): string {
  // BEGIN SOLUTION exercise=04.decode section="6. Encoding and decoding"
  const bytes: number[] = [];
  for (const id of ids) {
    const token = tokenizer.tokens[id];
    if (token === undefined) throw new CourseError(`Token id ${id} is not in the vocabulary.`);
    for (const ch of token) bytes.push(UNICODE_TO_BYTE.get(ch) as number);
  }
  return new TextDecoder().decode(Uint8Array.from(bytes));
  // END SOLUTION
}
