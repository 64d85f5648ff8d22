/**
 * Byte-level BPE as in GPT-2 (Radford et al. 2019, §2.2; openai/gpt-2 src/encoder.py).
 *
 * Text → UTF-8 bytes → one printable character per byte (`BYTE_TO_UNICODE`), so a token is a
 * plain string such as "Ġwhale" (Ġ is the space byte). A merge is a pair of such strings; its
 * rank is its position in the merge list, and a pair is keyed `pairKey(a, b)` = "a b", the form
 * of a line of GPT-2's vocab.bpe (no symbol contains a space: the space byte is "Ġ").
 */
import { CourseError } from "../errors";

/** A merge: the two symbols it joins, in the order they appear. */
export type Merge = readonly [string, string];

/** A pre-token as symbols, and how often it occurs in the corpus. */
export interface WordCount {
  symbols: string[];
  count: number;
}

/**
 * GPT-2's byte → character table: bytes that are printable Latin-1 ("!"–"~", "¡"–"¬", "®"–"ÿ")
 * stand for themselves; the other 68 bytes get U+0100, U+0101, … in byte order.
 */
export function byteToUnicodeTable(): string[] {
  const printable = (b: number) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  const table: string[] = [];
  let next = 0;
  for (let b = 0; b < 256; b++) table.push(String.fromCharCode(printable(b) ? b : 256 + next++));
  return table;
}

/** byte (0–255) → its symbol, e.g. 32 → "Ġ", 10 → "Ċ", 97 → "a". */
export const BYTE_TO_UNICODE: readonly string[] = byteToUnicodeTable();

/** symbol → byte, the inverse of `BYTE_TO_UNICODE`. */
export const UNICODE_TO_BYTE: ReadonlyMap<string, number> = new Map(BYTE_TO_UNICODE.map((c, b) => [c, b]));

/** GPT-2's pre-tokenisation pattern: contractions, letters, digits, other symbols, spaces. */
export const GPT2_SPLIT_PATTERN =
  /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

/** Split text into GPT-2's pre-tokens; merges never cross their borders. Joined, they are the text. */
export function pretokenize(text: string): string[] {
  return text.match(GPT2_SPLIT_PATTERN) ?? [];
}

const utf8 = new TextEncoder();

/** A pre-token as one symbol per UTF-8 byte: " naïve" → ["Ġ", "n", "a", "Ã", "¯", "v", "e"]. */
export function toSymbols(chunk: string): string[] {
  return Array.from(utf8.encode(chunk), (b) => BYTE_TO_UNICODE[b] as string);
}

/** The key of the pair (a, b) in count and rank maps: "a b", a line of GPT-2's vocab.bpe. */
export function pairKey(a: string, b: string): string {
  return `${a} ${b}`;
}

/** Symbols back to text: each character → its byte, then UTF-8 decoding (bad bytes → U+FFFD). */
export function symbolsToText(symbols: string): string {
  const bytes = new Uint8Array(symbols.length);
  for (let i = 0; i < symbols.length; i++) {
    const b = UNICODE_TO_BYTE.get(symbols[i] as string);
    if (b === undefined) {
      throw new CourseError(`${JSON.stringify(symbols[i])} is not a byte symbol (see BYTE_TO_UNICODE).`);
    }
    bytes[i] = b;
  }
  return new TextDecoder().decode(bytes);
}

/** Throw unless `word` can be counted: a whole count ≥ 1 and symbols without spaces (pair keys split on them). */
function checkWordCount(word: WordCount, index: number): void {
  if (!(Number.isInteger(word.count) && word.count >= 1)) {
    throw new CourseError(`countPairs(words): words[${index}].count must be a whole number ≥ 1, got ${word.count}.`);
  }
  const spaced = word.symbols.find((s) => s.includes(" "));
  if (spaced !== undefined) {
    throw new CourseError(
      `countPairs(words): words[${index}] has the symbol ${JSON.stringify(spaced)}, which holds a space; `
        + "byte symbols never do (the space byte is \"Ġ\"): build words with toSymbols or wordCounts.",
    );
  }
}

/**
 * Every adjacent pair of every word, weighted by the word's count. Key: `pairKey(a, b)`. Words
 * are checked first, since a symbol with a space would make two different pairs share a key.
 */
export function countPairs(words: readonly WordCount[]): Map<string, number> {
  const counts = new Map<string, number>();
  words.forEach((word, index) => {
    checkWordCount(word, index);
    const { symbols, count } = word;
    for (let i = 1; i < symbols.length; i++) {
      const key = pairKey(symbols[i - 1] as string, symbols[i] as string);
      counts.set(key, (counts.get(key) ?? 0) + count);
    }
  });
  return counts;
}

/**
 * A new list in which each `a` followed by `b` becomes `joined`, scanning left to right (so
 * a a a with the pair (a, a) gives joined a); `items` is left unchanged. Symbols (`mergePair`)
 * and training's integer ids share it.
 */
export function replacePair<T>(items: readonly T[], a: T, b: T, joined: T): T[] {
  const out: T[] = [];
  let i = 0;
  while (i < items.length) {
    const hit = items[i] === a && i + 1 < items.length && items[i + 1] === b;
    out.push(hit ? joined : (items[i] as T));
    i += hit ? 2 : 1;
  }
  return out;
}

/** Replace each occurrence of a followed by b, scanning left to right, by the symbol a + b. */
export function mergePair(symbols: readonly string[], a: string, b: string): string[] {
  return replacePair(symbols, a, b, a + b);
}

/**
 * Encode one pre-token's symbols with ranked merges (GPT-2's `bpe()`): repeatedly take the
 * adjacent pair of lowest rank and merge it everywhere, until no adjacent pair has a rank.
 */
export function bpeWord(symbols: readonly string[], ranks: ReadonlyMap<string, number>): string[] {
  let word = [...symbols];
  while (word.length > 1) {
    let bestRank = Infinity;
    let at = -1;
    for (let i = 0; i + 1 < word.length; i++) {
      const r = ranks.get(pairKey(word[i] as string, word[i + 1] as string));
      if (r !== undefined && r < bestRank) {
        bestRank = r;
        at = i;
      }
    }
    if (at < 0) break;
    word = mergePair(word, word[at] as string, word[at + 1] as string);
  }
  return word;
}
