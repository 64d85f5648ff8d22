/**
 * Train lesson 05's mini-GPT on Moby Dick as the lesson's full run does (GPT_MOBY_RUNS.full:
 * nanoGPT's CPU configuration, the same seeds and batches, trainLM with the cosine schedule),
 * score it on the validation split with windowNll, and write the checkpoint that lesson 11 exports
 * to ONNX: datasets/pretrained/05-gpt (model.json + weights.bin). One difference: the preset's
 * 120 s wall-clock budget is lifted, so all of its 900 steps run whatever the machine's load and
 * a rebuild makes the same steps (`--budget` keeps the lesson's budget).
 *
 *   npx tsx scripts/train-gpt.ts                 900 steps: 2–5 minutes on 2 CPU cores
 *   npx tsx scripts/train-gpt.ts --out /tmp/gpt
 */
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import {
  CharVocab, GPT_MOBY_RUNS, GPT_PRETRAINED_DIR, GptLM, Rng, charTokens, cosineSchedule, loadMobyDick, randomWindows, repoPath,
  savePretrainedGpt, setup, trainLM, windowNll,
} from "@course/lib";

const { values: args } = parseArgs({ options: { out: { type: "string", default: repoPath(GPT_PRETRAINED_DIR) }, budget: { type: "boolean", default: false } } });

delete process.env.GENAI_SMOKE; // always the full run
const info = await setup({ seed: 42 });
const run = GPT_MOBY_RUNS.full;
const { text, train, val } = loadMobyDick();
const vocab = CharVocab.fromWords([text], "\u0000"); // as lesson 05: "." occurs in the text, id 0 stays unused
const trainTokens = charTokens(train, vocab), valTokens = charTokens(val, vocab);
const model = new GptLM({ vocabSize: vocab.size, ...run.model }, new Rng(run.seed));
const rng = new Rng(run.seed + 1), T = run.model.blockSize;
const history = await trainLM(model, (split) => randomWindows(split === "train" ? trainTokens : valTokens, T, run.batchSize, rng), {
  steps: run.steps,
  timeBudgetSeconds: args.budget ? run.timeBudgetSeconds : undefined,
  learningRate: cosineSchedule(run.learningRate, run.finalLearningRate, run.steps, run.warmupSteps),
  evalEvery: run.evalEvery,
  evalBatches: run.evalBatches,
});
const valLoss = await windowNll(model, valTokens, run.scoreWindows);
const saved = savePretrainedGpt(model, vocab.itos, {
  preset: "GPT_MOBY_RUNS.full", seed: run.seed, batchSeed: run.seed + 1, steps: history.trainLoss.length, timeBudgetSeconds: args.budget ? run.timeBudgetSeconds : null,
  seconds: Number(history.seconds.toFixed(1)), batchSize: run.batchSize, backend: info.backend,
  val_loss_nats_per_char: Number(valLoss.toFixed(4)), val_windows: run.scoreWindows, loadavg: loadavg().map((x) => Number(x.toFixed(2))),
}, args.out);
console.log(`val ${valLoss.toFixed(3)} nats/char after ${history.trainLoss.length} steps in ${history.seconds.toFixed(0)} s; wrote ${args.out} (sha256 ${saved.sha256.slice(0, 12)}…)`);
model.dispose();
