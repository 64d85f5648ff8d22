/**
 * Training a language model: Adam on the cross-entropy, as a step function for the course's one
 * loop (`fit`: schedule, budgets, validation, progress). It knows nothing of the model beyond the
 * LanguageModel interface. Reads are async, so it also runs on WebGPU.
 */
import { Adam } from "../nn/adam";
import { tf } from "../tf";
import { type FitHistory, type FitProgress, fit } from "../train/fit";
import { progressLine } from "../train/progress";
import { lmLoss } from "./loss";
import type { LanguageModel } from "./model";

/** One batch of inputs and next-token targets.  x, y: [B, T] int32 */
export interface Batch {
  x: tf.Tensor2D;
  y: tf.Tensor2D;
}

/** Makes a fresh batch of a split; the trainer disposes it. */
export type BatchSource = (split: "train" | "val") => Batch;

/** fit's progress (`itemsPerSecond` counts tokens, also named `tokensPerSecond`). */
export interface Progress extends FitProgress {
  tokensPerSecond: number;
}

export interface TrainOptions {
  /** Maximum number of optimiser steps. */
  steps: number;
  /** Adam's step size, or a schedule of the step number (e.g. `cosineSchedule(…)`). */
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

export interface TrainHistory extends FitHistory {
  /** Training loss of every step (the same array as `loss`). */
  trainLoss: number[];
  /** Tokens seen (the same as `items`). */
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

export { progressLine };

/** The step function: one Adam step on the next training batch's cross-entropy. */
export function lmStep(model: LanguageModel, nextBatch: BatchSource, optimizer: Adam) {
  return async (_step: number, learningRate: number) => {
    optimizer.setLearningRate(learningRate);
    const { x, y } = nextBatch("train");
    const loss = optimizer.minimize(() => lmLoss(model, x, y, true), true, model.variables as tf.Variable[]) as tf.Scalar;
    const value = (await loss.data())[0] as number;
    const items = x.size;
    tf.dispose([x, y, loss]);
    return { loss: value, items };
  };
}

/** Train `model` with Adam; returns the loss history. */
export async function trainLM(model: LanguageModel, nextBatch: BatchSource, options: TrainOptions): Promise<TrainHistory> {
  const rate = options.learningRate;
  // A schedule of the step only: the LM runs keep their learning rate independent of the clock.
  const schedule = typeof rate === "function" ? (step: number) => rate(step) : rate;
  // ε left to the backend (1e-7), as tf.train.adam(rate) had it; one kernel per variable on wasm.
  const optimizer = new Adam(typeof rate === "function" ? rate(0) : rate);
  const report = options.onProgress ?? ((p: Progress) => { if (p.valLoss !== undefined) console.log(progressLine(p)); });
  try {
    const history = await fit(lmStep(model, nextBatch, optimizer), {
      steps: options.steps, timeBudgetSeconds: options.timeBudgetSeconds, schedule, unit: "tok", name: "trainLM",
      evalEvery: options.evalEvery, evaluate: () => evaluate(model, nextBatch, "val", options.evalBatches ?? 10),
      onProgress: (p) => report({ ...p, tokensPerSecond: p.itemsPerSecond }),
    });
    return { ...history, trainLoss: history.loss, tokens: history.items };
  } finally {
    optimizer.dispose();
  }
}
