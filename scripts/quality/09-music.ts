/**
 * Lesson 09 quality: the LSTM (03) and the mini-GPT (05) trained on chorale tokens with trainLM,
 * against a counting n-gram on the same tokens. Reports exact validation NLL (nats/token) of each,
 * then, for the better network and the n-gram, 100 chorales of 4 bars generated from key prompts
 * (the keys of the test chorales, in turn): the pitch-class-histogram distance to the test set
 * (beside the validation set's, and a shuffled-notes control's), voice range and crossing rates,
 * the copy rate of 2-bar windows (beside the test set's own) and the key-prompt agreement; and
 * from the first bar of each test chorale, how often the continuation stays in its key.
 */
import {
  GptLM, LstmLM, MUSIC_RUNS, MUSIC_VOCAB_SIZE, NGramLM, VOICES, continueOpenings, copyRate, generateInKeys, histogramDistance,
  keyAgreement, modelScores, musicData, ngramScores, parameterCount, preset, seeds, setup, shuffledNotes, trainOnChorales, validNll,
  voiceQuality, voiceRanges, choraleToMidi,
} from "@course/lib";
import type { Chorale, LanguageModel, MusicData, MusicRun, NextScores, Rng, Streams } from "@course/lib";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Metrics, QualityContext } from "./types.ts";

function generated(scores: NextScores, data: MusicData, run: MusicRun, rng: Rng, prefix: string): { metrics: Metrics; chorales: Chorale[] } {
  const keys = Array.from({ length: run.chorales }, (_, i) => data.test[i % data.test.length]!.key);
  const chorales = generateInKeys(scores, keys, 16 * run.bars, rng, { temperature: run.temperature });
  const test = data.test.map((x) => x.chorale), train = data.train.map((x) => x.chorale);
  const openings = data.test.map((x) => x.chorale.slice(0, 16));
  const continued = continueOpenings(scores, openings, data.test.map((x) => x.key), 16 * Math.max(1, run.bars - 2), rng, { temperature: run.temperature });
  const voices = voiceQuality(chorales, voiceRanges(train));
  const agree = keyAgreement(keys, chorales);
  return {
    chorales,
    metrics: {
      [`${prefix}_pch_distance`]: histogramDistance(chorales, test),
      [`${prefix}_voices_in_range`]: voices.inRange,
      [`${prefix}_voices_no_crossing`]: voices.noCrossing,
      [`${prefix}_voices_ok`]: voices.both,
      [`${prefix}_copy_rate_2bar`]: copyRate(chorales, train, 2),
      [`${prefix}_key_agreement`]: agree.key,
      [`${prefix}_mode_agreement`]: agree.mode,
      [`${prefix}_opening_key_agreement`]: keyAgreement(data.test.map((x) => x.key), continued).key,
    },
  };
}

async function trainNet(model: LanguageModel, data: MusicData, run: MusicRun, streams: Streams): Promise<{ nll: number; seconds: number; steps: number }> {
  const h = await trainOnChorales(model, data, run, streams.batches, () => {});
  const nll = await validNll(model, data.validPieces);
  console.log(`${model.name}: ${parameterCount(model)} parameters, ${h.trainLoss.length} steps in ${h.seconds.toFixed(0)} s, val ${nll.toFixed(4)} nats/token`);
  return { nll, seconds: h.seconds, steps: h.trainLoss.length };
}

export async function measure(context?: QualityContext): Promise<Metrics> {
  await setup({ seed: 0, quiet: true });
  const run = preset(MUSIC_RUNS), data = musicData();
  const ngram = new NGramLM(run.ngramMax, MUSIC_VOCAB_SIZE).fit(data.trainTokens);
  const orders = ngram.chooseOrder(data.validPieces, VOICES);
  console.log(`n-gram val NLL by order: ${JSON.stringify(orders)} → order ${ngram.order}`);
  const streams = seeds(run.seed);
  const lstm = new LstmLM({ vocabSize: MUSIC_VOCAB_SIZE, ...run.lstm }, streams.init);
  const lstmR = await trainNet(lstm, data, run, streams);
  const gpt = new GptLM({ vocabSize: MUSIC_VOCAB_SIZE, ...run.gpt }, streams.init);
  const gptR = await trainNet(gpt, data, { ...run, ...run.gptRates }, streams);
  const best = gptR.nll <= lstmR.nll ? gpt : lstm;
  const net = generated(modelScores(best), data, run, streams.sample, "model");
  const base = generated(ngramScores(ngram), data, run, streams.sample, "ngram");
  const test = data.test.map((x) => x.chorale), train = data.train.map((x) => x.chorale);
  const control = shuffledNotes(test, test, streams.eval);
  if (context) writeFileSync(join(context.outDir, "09-generated.mid"), choraleToMidi(net.chorales[0]!));
  const metrics: Metrics = {
    val_nll: Math.min(gptR.nll, lstmR.nll), best_is_gpt: best === gpt ? 1 : 0, bars: run.bars,
    gpt_val_nll: gptR.nll, gpt_steps: gptR.steps, gpt_train_seconds: gptR.seconds,
    lstm_val_nll: lstmR.nll, lstm_steps: lstmR.steps, lstm_train_seconds: lstmR.seconds,
    ngram_val_nll: orders[ngram.order]!, ngram_order: ngram.order,
    ...net.metrics, ...base.metrics,
    valid_pch_distance: histogramDistance(data.valid.map((x) => x.chorale), test),
    shuffled_pch_distance: histogramDistance(control, test),
    test_copy_rate_2bar: copyRate(test, train, 2),
    test_voices_ok: voiceQuality(test, voiceRanges(train)).both,
    test_key_agreement_control: keyAgreement(data.test.map((x) => x.key), control).key,
    // Real music cut to the generated length: how often its first bars alone read as its key.
    test_key_agreement_excerpt: keyAgreement(data.test.map((x) => x.key), test.map((c) => c.slice(0, 16 * run.bars))).key,
  };
  lstm.dispose(); gpt.dispose();
  return metrics;
}

export function summary(m: Metrics): string {
  const f = (k: string, d = 3) => m[k]?.toFixed(d);
  const pct = (k: string) => `${((m[k] ?? 0) * 100).toFixed(0)} %`;
  return `val ${f("val_nll")} nats/token (${m.best_is_gpt ? "GPT" : "LSTM"}; GPT ${f("gpt_val_nll")}, LSTM ${f("lstm_val_nll")}, ${f("ngram_order", 0)}-gram ${f("ngram_val_nll")})` +
    ` · pitch-class distance ${f("model_pch_distance")} (n-gram ${f("ngram_pch_distance")}, shuffled notes ${f("shuffled_pch_distance")}, valid set ${f("valid_pch_distance")})` +
    ` · voices in range and uncrossed ${pct("model_voices_ok")} (test ${pct("test_voices_ok")})` +
    ` · 2-bar copies ${pct("model_copy_rate_2bar")} (test set ${pct("test_copy_rate_2bar")})` +
    ` · key prompt ${pct("model_key_agreement")} (mode ${pct("model_mode_agreement")}; n-gram ${pct("ngram_key_agreement")}; Bach's first ${f("bars", 0)} bars ${pct("test_key_agreement_excerpt")}, chance 4 %) · opening kept its key ${pct("model_opening_key_agreement")}` +
    ` · GPT ${f("gpt_steps", 0)} steps in ${f("gpt_train_seconds", 0)} s, LSTM ${f("lstm_steps", 0)} steps in ${f("lstm_train_seconds", 0)} s`;
}
