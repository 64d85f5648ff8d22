import { describe, expect } from "vitest";
import { exercisesOf, expectClose, graded, probe, probeTargetOnly } from "../harness/index.ts";

const probes = new URL("../probes/04-bpe.ts", import.meta.url);
const ex = exercisesOf("04", "notebooks/04-bpe.ipynb");

const table = ex("bytes-to-unicode", 2, "2. Bytes and UTF-8");
const pairs = ex("count-pairs", 2, "4. Counting pairs");
const merge = ex("merge-pair", 2, "5. Learning merges");
const learn = ex("learn-merges", 2, "5. Learning merges");
const word = ex("encode-word", 2, "6. Encoding and decoding");
const enc = ex("encode", 2, "6. Encoding and decoding");
/** GPT-2 parity is the lesson's headline check: it counts double. */
const parity = ex("encode", 4, "6. Encoding and decoding");
const dec = ex("decode", 2, "6. Encoding and decoding");

const exact = { rtol: 0, atol: 0 };

/** Compare two lists item by item and name the first item that differs, not the whole list. */
function expectSameItems<T>(actual: readonly T[], expected: readonly T[], what: (i: number) => string): void {
  const n = Math.max(actual.length, expected.length);
  for (let i = 0; i < n; i++) {
    expect(actual[i], `${what(i)}${i >= actual.length ? " (your list is shorter)" : ""}`).toEqual(expected[i]);
  }
}

interface Parity {
  chars: number;
  tokens: number;
  parity: number;
  difference: { token: number; char: number; context: string; got: string[]; want: string[] } | null;
}

describe("lesson 04: byte-level BPE", () => {
  graded(table, "the 256 symbols are GPT-2's byte → unicode table", async () => {
    const r = await probe<string[]>("04", probes, "table");
    expect(r.actual).toHaveLength(256);
    expectSameItems(r.actual, r.expected, (b) => `bytesToUnicode()[${b}]`);
  });
  graded(table, "every byte has its own symbol; printable ASCII stands for itself, space is Ġ", async () => {
    const r = await probeTargetOnly<string[]>("04", probes, "table");
    expect(r.actual).toHaveLength(256);
    expect(new Set(r.actual).size, "distinct symbols").toBe(256);
    expect(r.actual[65], "byte 65").toBe("A");
    expect(r.actual[32], "byte 32 (space)").toBe("Ġ");
  });

  graded(pairs, "pair counts over Moby Dick's words match the reference", async () => {
    const r = await probe("04", probes, "countPairs", { chars: 20_000, from: 0 });
    expectClose(r.actual, r.expected, { ...exact, what: "countPairs(words of 20,000 characters)" });
  });
  graded(pairs, "counts are weighted by word count; one-symbol and empty words add nothing", async () => {
    const r = await probe("04", probes, "countPairsCrafted");
    expectClose(r.actual, r.expected, { ...exact, what: "countPairs(5 crafted words)" });
  });

  graded(merge, "seeded symbol lists merge as the reference's, inputs left unchanged", async () => {
    const r = await probe<{ out: string[]; unchanged: boolean }[]>("04", probes, "mergePair", { seed: 3, lists: 200 });
    r.actual.forEach((a, i) => {
      expect(a.out, `seeded list ${i}`).toEqual(r.expected[i]?.out);
      expect(a.unchanged, `mergePair changed its input list ${i}`).toBe(true);
    });
  });

  graded(merge, "runs merge left to right (a a a → aa a); a pair in the wrong order is left alone", async () => {
    const r = await probe<string[][]>("04", probes, "mergePairCrafted");
    const calls = ["a a a, (a, a)", "a a a a, (a, a)", "x a b a b, (a, b)", "b a, (a, b)", "a, (a, b)", "(empty), (a, b)"];
    expectSameItems(r.actual, r.expected, (i) => `mergePair(${calls[i]})`);
  });

  graded(learn, "the first 60 merges on a Moby Dick sample match the reference", async () => {
    const r = await probe<string[][]>("04", probes, "learnMerges", { chars: 25_000, merges: 60 });
    expectSameItems(r.actual, r.expected, (i) => `learnMerges(words of 25,000 characters, 60): merge ${i}`);
  });
  graded(learn, "ties go to the pair that sorts first; learning stops when nothing is left to merge", async () => {
    const r = await probe<{ ties: string[][]; none: string[][] }>("04", probes, "learnMergesCrafted");
    expect(r.actual.ties, "merges of ba ×2, ab ×2, cc ×1 (the tie between a b and b a goes to a b)").toEqual(r.expected.ties);
    expect(r.actual.none, "merges of a corpus of one-symbol words").toEqual(r.expected.none);
  });
  graded(learn, "every merge makes the corpus shorter (merges reduce the token count)", async () => {
    const r = await probeTargetOnly<number[]>("04", probes, "shrinking", { chars: 15_000, merges: 40 });
    expect(r.actual).toHaveLength(40);
    r.actual.forEach((n, k) => {
      if (k > 0) expect(n, `tokens after ${k + 1} merges vs after ${k}`).toBeLessThan(r.actual[k - 1] as number);
    });
  });

  graded(word, "pre-tokens of the test text encode as the reference's, with GPT-2's ranks", async () => {
    const r = await probe<{ chunk: string; tokens: string[] }[]>("04", probes, "encodeWord", { kind: "gpt2", chunks: 1500 });
    expectSameItems(r.actual.map((w) => w.tokens), r.expected.map((w) => w.tokens), (i) => `encodeWord(toSymbols(${JSON.stringify(r.expected[i]?.chunk)}), GPT-2's ranks)`);
  });
  graded(word, "merges apply by rank, not by position; unranked pairs stay apart", async () => {
    const r = await probe<string[][]>("04", probes, "encodeWordCrafted");
    const words = ["a b c d", "a b c d e", "x y", "a", "(empty)"];
    expectSameItems(r.actual, r.expected, (i) => `encodeWord(${words[i]}) with ranks c d 0, b c 1, a b 2, a bcd 3, cd e 4`);
  });

  graded(parity, "GPT-2 parity: the test text (≥ 10k characters, emoji, digits, spaces) encodes exactly as gpt-tokenizer", async () => {
    const r = await probeTargetOnly<Parity>("04", probes, "parity", {}, { timeoutMs: 60_000 });
    const d = r.actual.difference;
    const where = d
      ? `first difference at token ${d.token} (character ${d.char}, around ${JSON.stringify(d.context)}): ` +
        `got ${JSON.stringify(d.got)}, gpt-tokenizer has ${JSON.stringify(d.want)}`
      : "";
    expect(r.actual.chars).toBeGreaterThanOrEqual(10_000);
    expect(r.actual.parity, `${(100 * r.actual.parity).toFixed(2)} % of ${r.actual.tokens} tokens match; ${where}`).toBe(1);
  }, { timeoutMs: 120_000 });
  graded(enc, "a tokenizer trained on Moby Dick: ids equal the reference's and decode back to the text", async () => {
    const r = await probe<{ ids: number[]; roundTrip: boolean }>("04", probes, "encode", { kind: "trained", seed: 8, pieces: 400 });
    expectClose(r.actual.ids, r.expected.ids, { ...exact, what: "encode(text, trained tokenizer)" });
    expect(r.actual.roundTrip, "decode(encode(text)) === text").toBe(true);
  });

  graded(dec, "GPT-2 ids of the test text and of seeded emoji-rich strings decode to the original text", async () => {
    const r = await probeTargetOnly<{ out: string; roundTrip: boolean }[]>("04", probes, "decode", { kind: "gpt2", seed: 5, texts: 40 });
    r.actual.forEach((t, i) => expect(t.roundTrip, `text ${i}: decode gave ${JSON.stringify(t.out.slice(0, 60))}`).toBe(true));
  });
  graded(dec, "decoding with a tokenizer trained on Moby Dick matches the reference", async () => {
    const r = await probe<{ out: string }[]>("04", probes, "decode", { kind: "trained", seed: 6, texts: 40 });
    expectSameItems(r.actual.map((t) => t.out), r.expected.map((t) => t.out), (i) => `decode(ids of text ${i})`);
  });
  graded(dec, "an id that is not in the vocabulary is refused with an error", async () => {
    const r = await probeTargetOnly<{ threw: boolean }>("04", probes, "badId");
    expect(r.actual.threw, "decode([5, V + 7]) should throw").toBe(true);
  });
});
