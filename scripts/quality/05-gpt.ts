/**
 * Lesson 05 quality: the notebook's full run of the mini-GPT on Moby Dick (GPT_MOBY_RUNS.full:
 * nanoGPT's CPU configuration — 4 layers, 4 heads, C = 128, block 64, batch 12 — same seeds),
 * trained for a fixed wall-clock budget of 120 s (at most 450 steps), then scored exactly:
 * `val_loss` is the mean NLL in nats per character over all 1,024 × 64 = 65,536 predictions of
 * the first 1,024 non-overlapping 64-character windows of the reference validation split.
 */
import {
  CharVocab, GPT_MOBY_RUNS, GptLM, Rng, charTokens, cosineSchedule, loadMobyDick, parameterCount, preset,
  randomWindows, setup, trainLM, windowNll,
} from "@course/lib";
import type { Metrics } from "./types.ts";

export async function measure(): Promise<Metrics> {
  await setup({ seed: 42, quiet: true });
  const run = preset(GPT_MOBY_RUNS);
  const { text, train, val } = loadMobyDick();
  const vocab = CharVocab.fromWords([text], "\u0000"); // "." occurs in the text; id 0 stays unused
  const trainTokens = charTokens(train, vocab), valTokens = charTokens(val, vocab);
  const model = new GptLM({ vocabSize: vocab.size, ...run.model }, new Rng(run.seed));
  const rng = new Rng(run.seed + 1), T = run.model.blockSize;
  try {
    const history = await trainLM(model, (split) => randomWindows(split === "train" ? trainTokens : valTokens, T, run.batchSize, rng), {
      steps: run.steps,
      timeBudgetSeconds: run.timeBudgetSeconds,
      learningRate: cosineSchedule(run.learningRate, run.finalLearningRate, run.steps, run.warmupSteps),
      evalEvery: run.evalEvery,
      evalBatches: run.evalBatches,
      onProgress: () => {},
    });
    return {
      val_loss: await windowNll(model, valTokens, run.scoreWindows),
      val_windows: run.scoreWindows,
      train_seconds: history.seconds,
      steps: history.trainLoss.length,
      parameters: parameterCount(model),
    };
  } finally {
    model.dispose();
  }
}

/** README cell: validation loss in nats per character, steps and training time. */
export function summary(m: Metrics): string {
  return `val ${m.val_loss?.toFixed(3)} nats/char (${(m.val_loss! / Math.LN2).toFixed(3)} bpc) · ${m.steps} steps in ${m.train_seconds?.toFixed(0)} s`;
}
