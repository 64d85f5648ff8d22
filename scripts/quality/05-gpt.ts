/**
 * Lesson 05 quality: the notebook's full run of the mini-GPT on Moby Dick (GPT_MOBY_RUNS.full:
 * nanoGPT's CPU configuration — 4 layers, 4 heads, C = 128, block 64, batch 12 — same seeds),
 * trained for a fixed wall-clock budget of 120 s (at most 900 steps), then scored exactly:
 * `val_loss` is the mean NLL in nats per character over all 1,024 × 64 = 65,536 predictions of
 * the first 1,024 non-overlapping 64-character windows of the reference validation split.
 *
 * Then, in the same run and one after the other, the same-size GPT in PyTorch
 * (bench/pytorch/gpt_quality.py: same text, split and vocabulary ids, ReLU MLP, init scheme, Adam,
 * schedule shape and stopping rule as trainLM, PyTorch's default threads) trains for the same
 * wall-clock time the TensorFlow.js run took, its schedule stretched over the steps it fits in
 * that time (timed on a throwaway model first), and is scored the same way: `pytorch_val_loss`, `pytorch_steps`, `pytorch_train_seconds`,
 * `pytorch_threads`. Where /usr/bin/python3 cannot import torch these metrics are left out; a
 * failure of the PyTorch side never fails this measurement — summary() reports it instead.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import {
  CharVocab, GPT_MOBY_RUNS, type GptMobyRun, GptLM, charTokens, cosineSchedule, loadMobyDick, parameterCount, preset,
  randomWindows, seeds, setup, trainLM, windowNll,
} from "@course/lib";
import type { Metrics } from "./types.ts";

const PYTHON = "/usr/bin/python3";
const SCRIPT = fileURLToPath(new URL("../../bench/pytorch/gpt_quality.py", import.meta.url));
/** Why the PyTorch numbers are missing from the last measure(), for summary(); unset when they are there. */
let pytorchNote: string | undefined;

interface PytorchResult { val_loss: number; steps: number; train_seconds: number; threads: number; torch: string }

/** Whether Debian's PyTorch imports. */
function torchAvailable(): boolean {
  return spawnSync(PYTHON, ["-c", "import torch"], { stdio: "ignore", timeout: 120_000 }).status === 0;
}

/** Train and score the PyTorch twin on the same split and vocabulary; throws with the reason on failure. */
function runPytorch(run: GptMobyRun, vocab: CharVocab, train: string, val: string, seconds: number): PytorchResult {
  const m = run.model;
  const args = [
    // The same wall-clock time the TensorFlow.js run trained for; PyTorch's schedule is stretched
    // to the steps it fits in that time, as the TensorFlow.js schedule spans the steps it makes.
    SCRIPT, "--data", "-", "--seconds", String(seconds), "--steps", String(run.steps), "--fit-steps-to-budget",
    "--layers", String(m.layers), "--heads", String(m.heads), "--embedding", String(m.embeddingSize), "--block", String(m.blockSize),
    "--batch", String(run.batchSize), "--lr", String(run.learningRate), "--final-lr", String(run.finalLearningRate),
    "--warmup", String(run.warmupSteps), "--eval-every", String(run.evalEvery), "--eval-batches", String(run.evalBatches),
    "--windows", String(run.scoreWindows), "--seed", String(run.seed),
  ];
  const child = spawnSync(PYTHON, args, {
    input: JSON.stringify({ vocab: vocab.itos, train, val }),
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" },
    encoding: "utf8",
    maxBuffer: 16 * 2 ** 20,
    timeout: (3 * run.timeBudgetSeconds + 300) * 1000,
  });
  if (child.error) throw child.error;
  if (child.status !== 0) {
    const tail = (child.stderr ?? "").trim().split("\n").slice(-1)[0] ?? "";
    throw new Error(`exit ${child.status ?? child.signal}${tail ? `: ${tail}` : ""}`);
  }
  const line = child.stdout.trim().split("\n").pop() ?? "";
  const r = JSON.parse(line) as PytorchResult;
  if (![r.val_loss, r.steps, r.train_seconds].every(Number.isFinite)) throw new Error(`unexpected output: ${line.slice(0, 200)}`);
  return r;
}

export async function measure(): Promise<Metrics> {
  await setup({ seed: 42, quiet: true });
  const run = preset(GPT_MOBY_RUNS);
  const { text, train, val } = loadMobyDick();
  const vocab = CharVocab.fromWords([text], "\u0000"); // "." occurs in the text; id 0 stays unused
  const trainTokens = charTokens(train, vocab), valTokens = charTokens(val, vocab);
  const streams = seeds(run.seed);
  const model = new GptLM({ vocabSize: vocab.size, ...run.model }, streams.init);
  const rng = streams.batches, T = run.model.blockSize;
  let metrics: Metrics;
  try {
    const history = await trainLM(model, (split) => randomWindows(split === "train" ? trainTokens : valTokens, T, run.batchSize, rng), {
      steps: run.steps,
      timeBudgetSeconds: run.timeBudgetSeconds,
      learningRate: cosineSchedule(run.learningRate, run.finalLearningRate, run.steps, run.warmupSteps),
      evalEvery: run.evalEvery,
      evalBatches: run.evalBatches,
      onProgress: () => {},
    });
    metrics = {
      val_loss: await windowNll(model, valTokens, run.scoreWindows),
      val_windows: run.scoreWindows,
      train_seconds: history.seconds,
      steps: history.trainLoss.length,
      parameters: parameterCount(model),
    };
  } finally {
    model.dispose();
  }
  // Without PyTorch (no /usr/bin/python3 or no torch module) the pytorch_* metrics are omitted.
  pytorchNote = undefined;
  if (torchAvailable()) {
    try {
      const r = runPytorch(run, vocab, train, val, metrics.train_seconds as number);
      metrics.pytorch_val_loss = r.val_loss;
      metrics.pytorch_steps = r.steps;
      metrics.pytorch_train_seconds = r.train_seconds;
      metrics.pytorch_threads = r.threads;
    } catch (err) {
      pytorchNote = `PyTorch side failed: ${(err instanceof Error ? err.message : String(err)).slice(0, 300)}`;
    }
  }
  return metrics;
}

/** README cell: validation loss in nats per character, steps and training time. */
export function summary(m: Metrics): string {
  const own = `val ${m.val_loss?.toFixed(3)} nats/char (${(m.val_loss! / Math.LN2).toFixed(3)} bpc) · ${m.steps} steps in ${m.train_seconds?.toFixed(0)} s`;
  if (m.pytorch_val_loss !== undefined) {
    return `${own} · PyTorch, same ${m.pytorch_train_seconds?.toFixed(0)} s: val ${m.pytorch_val_loss.toFixed(3)} in ${m.pytorch_steps} steps`;
  }
  return pytorchNote ? `${own} · ${pytorchNote}` : own;
}
