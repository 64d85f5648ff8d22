/**
 * Lesson 02 quality: the notebook's full run of the MLP language model (MLP_NAMES_RUNS.full,
 * same seeds), scored by the exact mean NLL over every validation name of the reference split.
 * The bar: val NLL ≤ 2.10 (makemore's MLP: 2.10 after 3000 steps, 2.05 at best, same split).
 */
import {
  CharVocab, MLP_NAMES_RUNS, MlpLM, WordDataset, cosineSchedule, datasetNll, loadNames, parameterCount,
  preset, seeds, setup, trainLM, wordBatches,
} from "@course/lib";
import type { Metrics } from "./types.ts";

/** The bar of the course plan, in nats per character. */
export const VAL_NLL_BAR = 2.1;

export async function measure(): Promise<Metrics> {
  await setup({ seed: 42, quiet: true });
  const run = preset(MLP_NAMES_RUNS);
  const { train, val } = loadNames();
  const vocab = CharVocab.fromWords(train);
  const trainData = new WordDataset(train, vocab), valData = new WordDataset(val, vocab);
  const streams = seeds(run.seed);
  const model = new MlpLM({ vocabSize: vocab.size, ...run.model }, streams.init);
  try {
    const history = await trainLM(model, wordBatches(trainData, valData, run.batchSize, streams.batches), {
      steps: run.steps,
      learningRate: cosineSchedule(run.learningRate, run.finalLearningRate, run.steps),
      evalEvery: run.evalEvery,
      evalBatches: run.evalBatches,
      onProgress: () => {},
    });
    const valNll = await datasetNll(model, valData);
    return {
      val_nll: valNll,
      train_nll: await datasetNll(model, trainData),
      train_seconds: history.seconds,
      steps: history.trainLoss.length,
      parameters: parameterCount(model),
      bar_met: valNll <= VAL_NLL_BAR ? 1 : 0,
    };
  } finally {
    model.dispose();
  }
}

/** README cell: validation NLL beside the bar and makemore's MLP on the same split. */
export function summary(m: Metrics): string {
  return `val NLL ${m.val_nll?.toFixed(3)} (bar 2.10; makemore MLP 2.10, best 2.05) · trained ${m.train_seconds?.toFixed(0)} s`;
}
