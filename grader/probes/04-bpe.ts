/** Probes for lesson 04: each runs one exercise on seeded inputs, in the grader's probe process. */
import { encode as gptTokenizerEncode } from "gpt-tokenizer/encoding/r50k_base";
import {
  BpeTokenizer,
  Rng,
  type Merge,
  type WordCount,
  bpeWord,
  loadGpt2Tokenizer,
  loadMobyDick,
  pretokenize,
  randomTokenizerText,
  toSymbols,
  tokenizerTestText,
  trainBpe,
  wordCounts,
} from "@course/lib";
import type { LessonModule } from "@course/lib";

/** Distinct words (with counts) of a slice of Moby Dick's training text. */
function bookWords(chars: number, from = 0): WordCount[] {
  return wordCounts(loadMobyDick().train.slice(from, from + chars));
}

/** Seeded symbol lists over a small alphabet, so pairs repeat and overlap (a a a). */
function randomSymbols(rng: Rng, n: number): string[] {
  const alphabet = ["a", "b", "c", "Ġ", "Ġt", "he"];
  return Array.from({ length: n }, () => alphabet[rng.int(alphabet.length)] as string);
}

/** A small tokenizer learned by the library from the start of the book. */
function trainedTokenizer(numMerges: number): BpeTokenizer {
  return BpeTokenizer.fromMerges(trainBpe(loadMobyDick().train.slice(0, 60_000), { numMerges }));
}

function tokenizerFor(kind: "gpt2" | "trained"): BpeTokenizer {
  return kind === "gpt2" ? loadGpt2Tokenizer() : trainedTokenizer(400);
}

/** Where two id lists first differ, with the text around it, for a readable failure. */
function firstDifference(tok: BpeTokenizer, text: string, got: number[], want: number[]) {
  const at = want.findIndex((id, i) => got[i] !== id);
  const i = at >= 0 ? at : Math.min(got.length, want.length);
  if (at < 0 && got.length === want.length) return null;
  const offset = tok.decode(want.slice(0, i)).length;
  const pieces = (ids: number[]) => ids.slice(i, i + 6).map((id) => (id in tok.tokens ? tok.tokens[id] : `#${id}`));
  return { token: i, char: offset, context: text.slice(Math.max(0, offset - 20), offset + 30), got: pieces(got), want: pieces(want) };
}

export const probes = {
  table: (m: LessonModule) => m.bytesToUnicode() as string[],

  countPairs: (m: LessonModule, input: { chars: number; from: number }) => m.countPairs(bookWords(input.chars, input.from)),

  countPairsCrafted: (m: LessonModule) =>
    m.countPairs([
      { symbols: ["Ġ", "t", "h", "e"], count: 3 },
      { symbols: ["t", "h", "e", "n"], count: 2 },
      { symbols: ["a"], count: 50 },
      { symbols: [], count: 7 },
      { symbols: ["a", "a", "a"], count: 1 },
    ]),

  mergePair: (m: LessonModule, input: { seed: number; lists: number }) => {
    const rng = new Rng(input.seed);
    return Array.from({ length: input.lists }, () => {
      const symbols = randomSymbols(rng, 1 + rng.int(12));
      const a = symbols[rng.int(symbols.length)] as string;
      const b = rng.uniform() < 0.5 ? a : (randomSymbols(rng, 1)[0] as string);
      const before = [...symbols];
      const out = m.mergePair(symbols, a, b) as string[];
      return { out, unchanged: symbols.every((s, i) => s === before[i]) && symbols.length === before.length };
    });
  },

  mergePairCrafted: (m: LessonModule) => [
    m.mergePair(["a", "a", "a"], "a", "a"),
    m.mergePair(["a", "a", "a", "a"], "a", "a"),
    m.mergePair(["x", "a", "b", "a", "b"], "a", "b"),
    m.mergePair(["b", "a"], "a", "b"),
    m.mergePair(["a"], "a", "b"),
    m.mergePair([], "a", "b"),
  ] as string[][],

  learnMerges: (m: LessonModule, input: { chars: number; merges: number }) =>
    m.learnMerges(bookWords(input.chars), input.merges) as Merge[],

  learnMergesCrafted: (m: LessonModule) => ({
    ties: m.learnMerges([{ symbols: ["b", "a"], count: 2 }, { symbols: ["a", "b"], count: 2 }, { symbols: ["c", "c"], count: 1 }], 10),
    none: m.learnMerges([{ symbols: ["x"], count: 4 }], 3),
  }),

  /** Total tokens of the words after the first k learned merges, for k = 0 … n. */
  shrinking: (m: LessonModule, input: { chars: number; merges: number }) => {
    const words = bookWords(input.chars, 200_000);
    const merges = m.learnMerges(words, input.merges) as Merge[];
    return merges.map((_, k) => {
      const ranks = new Map(merges.slice(0, k + 1).map(([a, b], r) => [`${a} ${b}`, r]));
      return words.reduce((sum, w) => sum + bpeWord(w.symbols, ranks).length * w.count, 0);
    });
  },

  encodeWord: (m: LessonModule, input: { kind: "gpt2" | "trained"; chunks: number }) => {
    const tok = tokenizerFor(input.kind);
    const chunks = [...new Set(pretokenize(tokenizerTestText()))].slice(0, input.chunks);
    return chunks.map((chunk) => ({ chunk, tokens: m.encodeWord(toSymbols(chunk), tok.ranks) as string[] }));
  },

  encodeWordCrafted: (m: LessonModule) => {
    const ranks = new Map([["c d", 0], ["b c", 1], ["a b", 2], ["a bcd", 3], ["cd e", 4]]);
    return [["a", "b", "c", "d"], ["a", "b", "c", "d", "e"], ["x", "y"], ["a"], []].map((w) => m.encodeWord(w, ranks));
  },

  /** The learner's encoder with GPT-2's merges and vocabulary against gpt-tokenizer itself. */
  parity: (m: LessonModule) => {
    const tok = loadGpt2Tokenizer();
    const text = tokenizerTestText();
    const want = gptTokenizerEncode(text);
    const got = m.encode(text, tok) as number[];
    const same = want.filter((id, i) => got[i] === id).length;
    return { chars: text.length, tokens: want.length, parity: same / Math.max(want.length, got.length), difference: firstDifference(tok, text, got, want) };
  },

  encode: (m: LessonModule, input: { kind: "gpt2" | "trained"; seed: number; pieces: number }) => {
    const tok = tokenizerFor(input.kind);
    const text = randomTokenizerText(new Rng(input.seed), input.pieces) + loadMobyDick().val.slice(0, 3000);
    const ids = m.encode(text, tok) as number[];
    return { ids, roundTrip: tok.decode(ids) === text };
  },

  decode: (m: LessonModule, input: { kind: "gpt2" | "trained"; seed: number; texts: number }) => {
    const tok = tokenizerFor(input.kind);
    const rng = new Rng(input.seed);
    const texts = [tokenizerTestText(), ...Array.from({ length: input.texts }, () => randomTokenizerText(rng, 1 + rng.int(40)))];
    return texts.map((text) => {
      const out = m.decode(tok.encode(text), tok) as string;
      return { out, roundTrip: out === text };
    });
  },

  badId: (m: LessonModule) => {
    const tok = trainedTokenizer(20);
    try {
      m.decode([5, tok.size + 7], tok);
      return { threw: false };
    } catch {
      return { threw: true };
    }
  },
};
