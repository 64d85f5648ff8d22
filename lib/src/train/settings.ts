/**
 * The training settings every run preset shares — the language models', the VAE's, the GAN's and
 * the diffusion model's — and the one check they all pass. A preset adds its own fields (the
 * model, evaluation, sampling) beside these.
 */
import { CourseError } from "../errors";

export interface TrainSettings {
  /** Most optimiser steps; the learning-rate schedule is laid out over them. */
  steps: number;
  /** Training stops after this many seconds even if steps remain (runs without one stop at `steps`). */
  timeBudgetSeconds?: number;
  /** Examples per batch (B): words, windows or images. */
  batchSize: number;
  /** Adam's peak step size. */
  learningRate: number;
  /** The step size at the end of the cosine decay (runs that decay along a cosine). */
  finalLearningRate?: number;
  /** Steps of linear warm-up before the decay (runs that warm up). */
  warmupSteps?: number;
}

const isCount = (v: unknown, min: number) => typeof v === "number" && Number.isInteger(v) && v >= min;

/** Throw a CourseError naming the first setting that cannot work and what it should be. */
export function checkTrainSettings(s: TrainSettings, where: string): void {
  const fail = (field: string, want: string, got: unknown) => {
    throw new CourseError(`${where}: ${field} must be ${want}, got ${String(got)}; fix the run preset (or the object passed in).`);
  };
  if (!isCount(s.steps, 1)) fail("steps", "an integer ≥ 1", s.steps);
  if (!isCount(s.batchSize, 1)) fail("batchSize", "an integer ≥ 1", s.batchSize);
  if (s.timeBudgetSeconds !== undefined && !(s.timeBudgetSeconds > 0)) fail("timeBudgetSeconds", "> 0 seconds", s.timeBudgetSeconds);
  if (!(s.learningRate > 0 && Number.isFinite(s.learningRate))) fail("learningRate", "a finite number > 0", s.learningRate);
  const final = s.finalLearningRate;
  if (final !== undefined && !(final >= 0 && final <= s.learningRate)) fail("finalLearningRate", `between 0 and learningRate (${s.learningRate})`, final);
  if (s.warmupSteps !== undefined && !(isCount(s.warmupSteps, 0) && s.warmupSteps < s.steps)) {
    fail("warmupSteps", `an integer from 0 to steps − 1 (${s.steps - 1})`, s.warmupSteps);
  }
}
