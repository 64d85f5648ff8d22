/**
 * The course's one training loop, in the spirit of minGPT's trainer: it knows nothing of the
 * model. A family hands it a step function (one update at a given learning rate, returning the
 * loss it read with `await`, so WebGPU works) and gets back the loss history and the timing.
 * `fit` owns the rest: the learning-rate schedule, the step and time budgets, validation every
 * few steps, the progress report with its ETA, and a turn of the event loop after each report
 * (a notebook's display update goes out only then).
 */
import { CourseError } from "../errors";
import { yieldToEventLoop } from "../timing";
import type { Schedule } from "./schedule";

/** What one training step reports. */
export interface StepReport {
  /** The loss the step minimised, read before its update. */
  loss: number;
  /** Examples the step consumed (tokens, images): the rate in the progress line. */
  items: number;
  /** Other per-step numbers worth keeping, e.g. a GAN's `{ dLoss, gLoss }`. */
  parts?: Record<string, number>;
}

/** One update of the model at `learningRate`; `step` counts from 0. */
export type TrainStep = (step: number, learningRate: number) => Promise<StepReport>;

export interface FitOptions {
  /** Most steps. */
  steps: number;
  /** Stop after this many seconds of training even if steps remain (validation counts, progress reports do not). */
  timeBudgetSeconds?: number;
  /** The learning rate: a number, or a schedule of the step and the time budget used. */
  schedule: Schedule | number;
  /** The validation loss, run every `evalEvery` steps and after the last. */
  evaluate?: () => Promise<number>;
  /** Validate every this many steps (default: steps / 10). */
  evalEvery?: number;
  /** What `items` counts, for the progress line: "tok", "img" (default "items"). */
  unit?: string;
  /** Called after every step (its time is not training time). */
  onProgress?: (p: FitProgress) => void | Promise<void>;
  /** The caller's name for error messages, e.g. "trainVae". */
  name?: string;
}

export interface FitProgress {
  /** Steps done (from 1). */
  step: number;
  steps: number;
  loss: number;
  learningRate: number;
  /** Training seconds so far. */
  seconds: number;
  etaSeconds: number;
  itemsPerSecond: number;
  unit: string;
  /** Set on the steps where validation ran. */
  valLoss?: number;
  parts?: Record<string, number>;
}

export interface FitHistory {
  /** The loss of every step. */
  loss: number[];
  /** Every step's parts, by name. */
  parts: Record<string, number[]>;
  /** Steps at which validation ran, and its loss there. */
  evalSteps: number[];
  valLoss: number[];
  /** Steps done, training seconds (validation included) and examples seen. */
  steps: number;
  seconds: number;
  items: number;
}

/** A stopwatch that does not count the time between pause() and resume(). */
class Stopwatch {
  private readonly start = performance.now();
  private paused = 0;
  private pausedAt = 0;
  seconds(): number {
    return (performance.now() - this.start - this.paused) / 1000;
  }
  pause(): void {
    this.pausedAt = performance.now();
  }
  resume(): void {
    this.paused += performance.now() - this.pausedAt;
  }
}

function checkFitOptions(o: FitOptions, name: string): void {
  if (!(Number.isInteger(o.steps) && o.steps >= 1)) throw new CourseError(`${name}: steps must be an integer ≥ 1, got ${o.steps}.`);
  if (o.timeBudgetSeconds !== undefined && !(o.timeBudgetSeconds > 0)) {
    throw new CourseError(`${name}: timeBudgetSeconds must be > 0 (or left out), got ${o.timeBudgetSeconds}.`);
  }
  if (o.evalEvery !== undefined && !(Number.isInteger(o.evalEvery) && o.evalEvery >= 1)) {
    throw new CourseError(`${name}: evalEvery must be an integer ≥ 1, got ${o.evalEvery}.`);
  }
}

function record(history: FitHistory, report: StepReport): void {
  history.loss.push(report.loss);
  history.items += report.items;
  for (const [key, value] of Object.entries(report.parts ?? {})) (history.parts[key] ??= []).push(value);
}

/** Seconds left: the nearer of the time budget and the remaining steps at the pace so far. */
function eta(o: FitOptions, step: number, seconds: number): number {
  const bySteps = ((o.steps - step) * seconds) / step;
  return Math.max(0, o.timeBudgetSeconds === undefined ? bySteps : Math.min(o.timeBudgetSeconds - seconds, bySteps));
}

/** Run `step` until `options.steps` or the time budget, whichever comes first; the loss history and timing. */
export async function fit(step: TrainStep, options: FitOptions): Promise<FitHistory> {
  const name = options.name ?? "fit";
  checkFitOptions(options, name);
  const { schedule, timeBudgetSeconds: budget } = options;
  const rate = typeof schedule === "number" ? () => schedule : schedule;
  const evalEvery = options.evalEvery ?? Math.max(1, Math.floor(options.steps / 10));
  const history: FitHistory = { loss: [], parts: {}, evalSteps: [], valLoss: [], steps: 0, seconds: 0, items: 0 };
  const clock = new Stopwatch();
  for (let i = 0; i < options.steps; i++) {
    const learningRate = rate(i, budget === undefined ? 0 : clock.seconds() / budget);
    const report = await step(i, learningRate);
    if (!Number.isFinite(report.loss)) {
      throw new CourseError(`${name}: the loss is ${report.loss} at step ${i + 1}; lower the learning rate.`);
    }
    record(history, report);
    history.steps = i + 1;
    const seconds = clock.seconds();
    const last = i + 1 === options.steps || (budget !== undefined && seconds >= budget);
    let valLoss: number | undefined;
    if (options.evaluate && ((i + 1) % evalEvery === 0 || last)) {
      valLoss = await options.evaluate();
      history.evalSteps.push(i + 1);
      history.valLoss.push(valLoss);
    }
    clock.pause();
    await options.onProgress?.({
      step: i + 1, steps: options.steps, loss: report.loss, learningRate, seconds, etaSeconds: eta(options, i + 1, seconds),
      itemsPerSecond: history.items / seconds, unit: options.unit ?? "items", valLoss, parts: report.parts,
    });
    await yieldToEventLoop();
    clock.resume();
    if (last) break;
  }
  history.seconds = clock.seconds();
  return history;
}
