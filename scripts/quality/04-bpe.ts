/**
 * Lesson 04 quality: the reference encoder with GPT-2's merges and vocabulary against
 * gpt-tokenizer on the tokenizer test text (the bar: every token identical), and the compression
 * of a tokenizer learned on Moby Dick's training text, measured on its validation text.
 */
import { encode as gptTokenizerEncode } from "gpt-tokenizer/encoding/r50k_base";
import { BpeTokenizer, lesson, loadGpt2Tokenizer, loadMobyDick, preset, tokenizerTestText, trainBpe } from "@course/lib";
import type { Metrics } from "./types.ts";

export interface BpeQualityConfig {
  /** Merges learned on Moby Dick's training text. */
  numMerges: number;
}

export const CONFIG = preset<BpeQualityConfig>({ smoke: { numMerges: 300 }, full: { numMerges: 5000 } });

/** Fraction of positions where two id lists agree, over the longer list. */
export function parity(got: readonly number[], want: readonly number[]): number {
  let same = 0;
  for (let i = 0; i < want.length; i++) if (got[i] === want[i]) same++;
  return same / Math.max(got.length, want.length, 1);
}

export async function measure(): Promise<Metrics> {
  const ex = lesson("04", { target: "solutions" });
  const text = tokenizerTestText();
  const want = gptTokenizerEncode(text);
  const gpt2 = loadGpt2Tokenizer();
  const got = ex.encode(text, gpt2) as number[];

  const { train, val } = loadMobyDick();
  const t0 = performance.now();
  const merges = trainBpe(train, { numMerges: CONFIG.numMerges });
  const trainSeconds = (performance.now() - t0) / 1000;
  const learned = BpeTokenizer.fromMerges(merges);
  const valIds = learned.encode(val);
  const gpt2ValIds = gpt2.encode(val);
  return {
    gpt2_parity: parity(got, want),
    test_text_chars: text.length,
    test_text_tokens: want.length,
    merges: merges.length,
    vocab_size: learned.size,
    train_seconds: trainSeconds,
    compression: val.length / valIds.length,
    gpt2_compression: val.length / gpt2ValIds.length,
    round_trip: learned.decode(valIds) === val && ex.decode(got, gpt2) === text ? 1 : 0,
    bar_met: parity(got, want) === 1 ? 1 : 0,
  };
}

/** README cell: parity with gpt-tokenizer, then the learned tokenizer's compression. */
export function summary(m: Metrics): string {
  return (
    `GPT-2 parity ${m.gpt2_parity?.toFixed(3)} on ${m.test_text_tokens} tokens · ` +
    `${m.merges} merges learned in ${m.train_seconds?.toFixed(1)} s: ` +
    `${m.compression?.toFixed(2)} chars/token on val (GPT-2 ${m.gpt2_compression?.toFixed(2)})`
  );
}
