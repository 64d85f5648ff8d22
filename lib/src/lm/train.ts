/**
 * One trainer for every language model: Adam on the cross-entropy, periodic validation, progress
 * (step, loss, tokens/s, ETA) and an optional wall-clock budget. It knows nothing of the model
 * beyond the LanguageModel interface. Reads are async, so it also runs on WebGPU.
 */
import { Adam as FusedAdam } from "../nn/adam";
import { tf } from "../tf";
import { lmLoss } from "./loss";
import type { LanguageModel } from "./model";
import { yieldToEventLoop } from "../timing";

/** One batch of inputs and next-token targets.  x, y: [B, T] int32 */
export interface Batch {
  x: tf.Tensor2D;
  y: tf.Tensor2D;
}

/** Makes a fresh batch of a split; the trainer disposes it. */
export type BatchSource = (split: "train" | "val") => Batch;

export interface Progress {
  step: number;
  steps: number;
  loss: number;
  tokensPerSecond: number;
  etaSeconds: number;
  /** Set on the steps where validation ran. */
  valLoss?: number;
}

export interface TrainOptions {
  /** Maximum number of optimiser steps. */
  steps: number;
  /** Adam's step size, or a schedule of the step number. */
  learningRate: number | ((step: number) => number);
  /** Validate every this many steps, and after the last (default: steps / 10). */
  evalEvery?: number;
  /** Batches averaged per validation (default 10). */
  evalBatches?: number;
  /** Stop after this many seconds of training even if steps remain. */
  timeBudgetSeconds?: number;
  /** Called after every step; default prints a progress line every evalEvery steps. */
  onProgress?: (p: Progress) => void;
}

export interface TrainHistory {
  /** Training loss of every step. */
  trainLoss: number[];
  /** Steps at which validation ran, and its loss there. */
  evalSteps: number[];
  valLoss: number[];
  /** Seconds spent training (validation included) and tokens seen. */
  seconds: number;
  tokens: number;
}

/** Mean loss over `batches` fresh batches of a split (no gradients). */
export async function evaluate(model: LanguageModel, nextBatch: BatchSource, split: "train" | "val", batches = 10): Promise<number> {
  let total = 0;
  for (let i = 0; i < batches; i++) {
    const { x, y } = nextBatch(split);
    const loss = lmLoss(model, x, y);
    total += (await loss.data())[0] as number;
    tf.dispose([x, y, loss]);
  }
  return total / batches;
}

/** A progress line: `step 300/3000 · loss 2.412 · val 2.451 · 41k tok/s · ETA 1m 05s`. */
export function progressLine(p: Progress): string {
  const eta = p.etaSeconds >= 60 ? `${Math.floor(p.etaSeconds / 60)}m ${String(Math.round(p.etaSeconds % 60)).padStart(2, "0")}s` : `${Math.round(p.etaSeconds)}s`;
  const tps = p.tokensPerSecond >= 1000 ? `${(p.tokensPerSecond / 1000).toFixed(1)}k` : p.tokensPerSecond.toFixed(0);
  const val = p.valLoss === undefined ? "" : ` · val ${p.valLoss.toFixed(3)}`;
  return `step ${p.step}/${p.steps} · loss ${p.loss.toFixed(3)}${val} · ${tps} tok/s · ETA ${eta}`;
}

/** Train `model` with Adam; returns the loss history. */
export async function trainLM(model: LanguageModel, nextBatch: BatchSource, options: TrainOptions): Promise<TrainHistory> {
  const evalEvery = options.evalEvery ?? Math.max(1, Math.floor(options.steps / 10));
  const rate = (s: number) => (typeof options.learningRate === "function" ? options.learningRate(s) : options.learningRate);
  // ε left to the backend (1e-7), as tf.train.adam(rate) had it; one kernel per variable on wasm.
  const optimizer = new FusedAdam(rate(0));
  const report = options.onProgress ?? ((p: Progress) => { if (p.valLoss !== undefined) console.log(progressLine(p)); });
  const history: TrainHistory = { trainLoss: [], evalSteps: [], valLoss: [], seconds: 0, tokens: 0 };
  const t0 = performance.now();
  try {
    for (let step = 1; step <= options.steps; step++) {
      optimizer.setLearningRate(rate(step - 1));
      const { x, y } = nextBatch("train");
      const loss = optimizer.minimize(() => lmLoss(model, x, y, true), true, model.variables as tf.Variable[]) as tf.Scalar;
      const value = (await loss.data())[0] as number;
      history.tokens += x.size;
      tf.dispose([x, y, loss]);
      history.trainLoss.push(value);
      const seconds = (performance.now() - t0) / 1000;
      const outOfTime = options.timeBudgetSeconds !== undefined && seconds >= options.timeBudgetSeconds;
      const last = step === options.steps || outOfTime;
      let valLoss: number | undefined;
      if (step % evalEvery === 0 || last) {
        valLoss = await evaluate(model, nextBatch, "val", options.evalBatches ?? 10);
        history.evalSteps.push(step);
        history.valLoss.push(valLoss);
      }
      const perStep = seconds / step;
      const remaining = options.timeBudgetSeconds !== undefined
        ? Math.min(options.timeBudgetSeconds - seconds, (options.steps - step) * perStep)
        : (options.steps - step) * perStep;
      report({ step, steps: options.steps, loss: value, tokensPerSecond: history.tokens / seconds, etaSeconds: Math.max(0, remaining), valLoss });
      // Give the event loop a turn: a notebook's display update must go out before the next one.
      await yieldToEventLoop();
      if (outOfTime) break;
    }
  } finally {
    optimizer.dispose();
  }
  history.seconds = (performance.now() - t0) / 1000;
  return history;
}
