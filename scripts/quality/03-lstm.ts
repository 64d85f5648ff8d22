/**
 * Lesson 03 quality: the notebook's full run of the char-LSTM on Moby Dick (LSTM_MOBY_RUNS.full,
 * same seeds), trained with truncated backpropagation through time and scored in bits per
 * character: the exact mean over every character of the reference validation split (each
 * predicted from the validation text before it; streamNll's 64 segments each start from a zero
 * state). For comparison, lesson 01's counting bigram (add-one smoothing) on the same split.
 */
import {
  CharVocab, LSTM_MOBY_RUNS, LstmLM, TbpttLM, TbpttStreams, bigramCountsNll, bitsPerChar, charTokens,
  cosineSchedule, loadMobyDick, parameterCount, preset, seeds, setup, streamNll, tbpttBatches, trainLM,
} from "@course/lib";
import type { Metrics } from "./types.ts";


export async function measure(): Promise<Metrics> {
  await setup({ seed: 42, quiet: true });
  const run = preset(LSTM_MOBY_RUNS);
  const { text, train, val } = loadMobyDick();
  const vocab = CharVocab.fromWords([text], "\u0000"); // "." occurs in the text; id 0 stays unused
  const trainTokens = charTokens(train, vocab), valTokens = charTokens(val, vocab).slice(0, run.scoreChars);
  const model = new LstmLM({ vocabSize: vocab.size, ...run.model }, seeds(run.seed).init);
  const tbptt = new TbpttLM(model);
  try {
    const T = run.model.blockSize;
    const batches = tbpttBatches(new TbpttStreams(trainTokens, run.batchSize, T), new TbpttStreams(valTokens, run.batchSize, T));
    const history = await trainLM(tbptt, batches, {
      steps: run.steps,
      learningRate: cosineSchedule(run.learningRate, run.finalLearningRate, run.steps, run.warmupSteps),
      evalEvery: run.evalEvery,
      evalBatches: run.evalBatches,
      onProgress: () => {},
    });
    const valBpc = bitsPerChar(await streamNll(model, valTokens, 64));
    return {
      val_bpc: valBpc,
      val_chars_scored: valTokens.length - 1,
      bigram_val_bpc: bitsPerChar(bigramCountsNll(trainTokens, valTokens, vocab.size)),
      last_train_bpc: bitsPerChar(history.trainLoss.slice(-50).reduce((a, b) => a + b, 0) / Math.min(50, history.trainLoss.length)),
      train_seconds: history.seconds,
      steps: history.trainLoss.length,
      parameters: parameterCount(model),
    };
  } finally {
    tbptt.dispose();
    model.dispose();
  }
}

/** README cell: validation bits per character beside the counting bigram's. */
export function summary(m: Metrics): string {
  return `val ${m.val_bpc?.toFixed(3)} bpc (counting bigram ${m.bigram_val_bpc?.toFixed(3)}) · trained ${m.train_seconds?.toFixed(0)} s`;
}
