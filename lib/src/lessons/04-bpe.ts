// Generated from solutions/04-bpe.ts by `npm run exercises`: the types `lesson("04")` returns. Do not edit.
import type { BpeTokenizer, Merge, WordCount } from "../index";
/**
 * GPT-2's byte → symbol table, entry b for byte b. The bytes of "!"–"~" (33–126), "¡"–"¬"
 * (161–172) and "®"–"ÿ" (174–255) stand for themselves (`String.fromCharCode(b)`); the other 68
 * bytes, in increasing order, get the characters 256, 257, 258, … So the space byte 32 becomes
 * "Ġ" (256 + 32) and newline 10 becomes "Ċ".
 */
export declare function bytesToUnicode(): string[];
/**
 * How often each adjacent pair of symbols occurs, over all words, each word counting `count`
 * times. Keys are `pairKey(a, b)` = "a b".  ["Ġ","t","h","e"] ×3 → "Ġ t" 3, "t h" 3, "h e" 3
 * Library twin: `countPairs` from @course/lib is the same function (scripts/test/twins.test.ts checks it); calling it here earns no points.
 */
export declare function countPairs(words: readonly WordCount[]): Map<string, number>;
/**
 * A new list in which every a followed by b becomes the single symbol a + b, scanning left to
 * right (so a a a with the pair (a, a) gives aa a). The input list is left unchanged.
 * Library twin: `mergePair` from @course/lib is the same function (scripts/test/twins.test.ts checks it); calling it here earns no points.
 */
export declare function mergePair(symbols: readonly string[], a: string, b: string): string[];
/**
 * Learn up to `numMerges` merges: count pairs, take the most frequent, merge it in every word,
 * repeat. Ties go to the pair whose key sorts first as a string (`"a b" < "c d"`, which orders
 * by a, then b). Stop early when no word has two symbols left.  → merges in the order learned
 */
export declare function learnMerges(words: readonly WordCount[], numMerges: number): Merge[];
/**
 * Encode one pre-token's symbols with ranked merges, as GPT-2 does: among the adjacent pairs
 * that have a rank, take the one of lowest rank and merge it everywhere (`mergePair`); repeat
 * until no adjacent pair has a rank.  ["Ġ","t","h","e"] → ["Ġthe"] with GPT-2's ranks
 */
export declare function encodeWord(symbols: readonly string[], ranks: ReadonlyMap<string, number>): string[];
/**
 * Text → token ids: split with `pretokenize`, turn each piece into byte symbols with
 * `toSymbols`, merge them with `encodeWord` and the tokenizer's `ranks`, and look each final
 * symbol up in its `vocab`.
 */
export declare function encode(text: string, tokenizer: Pick<BpeTokenizer, "ranks" | "vocab">): number[];
/**
 * Token ids → text: look each id up in `tokenizer.tokens`, join the symbol strings, turn every
 * symbol character back into its byte with `UNICODE_TO_BYTE`, and decode the bytes as UTF-8
 * (`new TextDecoder().decode(bytes)`). An id with no token is an error.
 */
export declare function decode(ids: readonly number[], tokenizer: Pick<BpeTokenizer, "tokens">): string;
