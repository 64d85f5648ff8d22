/**
 * Train lesson 05's mini-GPT with its full preset (GPT_MOBY_RUNS.full: 4 layers, 4 heads, C = 128,
 * block 64, batch 12, 900 steps or 120 s) by trainLM on the reference Moby Dick split — the same
 * run as `npm run quality -- 05` — score it exactly, and write the checkpoint lesson 12 uses to
 * datasets/pretrained/gpt-05/ (model.json with the sha256, weights.bin).
 *
 *   npx tsx scripts/train-gpt-05.ts [--out DIR]
 */
import { parseArgs } from "node:util";
import { cpus, loadavg } from "node:os";
import {
  CharVocab, GPT05_PRETRAINED_DIR, GPT_MOBY_RUNS, GptLM, Rng, charTokens, cosineSchedule, loadMobyDick, parameterCount,
  randomWindows, repoPath, savePretrainedGpt, setup, tf, trainLM, windowNll,
} from "@course/lib";

const { values: args } = parseArgs({ options: { out: { type: "string", default: repoPath(GPT05_PRETRAINED_DIR) } } });

await setup({ seed: 42, quiet: true });
const run = GPT_MOBY_RUNS.full;
const { text, train, val } = loadMobyDick();
const vocab = CharVocab.fromWords([text], "\u0000");
const trainTokens = charTokens(train, vocab), valTokens = charTokens(val, vocab);
const model = new GptLM({ vocabSize: vocab.size, ...run.model }, new Rng(run.seed));
const rng = new Rng(run.seed + 1), T = run.model.blockSize;
const history = await trainLM(model, (split) => randomWindows(split === "train" ? trainTokens : valTokens, T, run.batchSize, rng), {
  steps: run.steps,
  timeBudgetSeconds: run.timeBudgetSeconds,
  learningRate: cosineSchedule(run.learningRate, run.finalLearningRate, run.steps, run.warmupSteps),
  evalEvery: run.evalEvery,
  evalBatches: run.evalBatches,
});
const valLoss = await windowNll(model, valTokens, run.scoreWindows);
const training = {
  preset: "GPT_MOBY_RUNS.full", seed: run.seed, steps: history.trainLoss.length, seconds: +history.seconds.toFixed(1),
  batchSize: run.batchSize, backend: tf.getBackend(), parameters: parameterCount(model),
  valLoss: +valLoss.toFixed(4), scoreWindows: run.scoreWindows, cpu: cpus()[0]?.model ?? "?", loadavg: loadavg().map((l) => +l.toFixed(2)),
  date: new Date().toISOString().slice(0, 10),
};
savePretrainedGpt(model, vocab, training, args.out);
console.log(JSON.stringify(training));
model.dispose();
