/**
 * Learning-rate schedules: a schedule maps the step (from 0) and the fraction of the time budget
 * already used to a step size. `fit` asks it before every step, so a run cut short by its budget
 * still ends with the small steps a full run ends with.
 */
import { CourseError } from "../errors";

/** A learning rate for `step` (from 0), `timeFraction` ∈ [0, 1] of the time budget used (0 without one). */
export type Schedule = (step: number, timeFraction?: number) => number;

/** Half a cosine from `peak` (p = 0) down to `final` (p ≥ 1). */
export function cosineDecay(peak: number, final: number, p: number): number {
  return final + 0.5 * (peak - final) * (1 + Math.cos(Math.PI * Math.min(1, Math.max(0, p))));
}

/**
 * Linear warm-up from 0 to `peak` over `warmupSteps`, then half a cosine from `peak` down to
 * `final` at step `steps` or at the end of the time budget, whichever is further along (and
 * `final` after it), as in nanoGPT's get_lr. The course's one cosine schedule.
 */
export function cosineSchedule(peak: number, final: number, steps: number, warmupSteps = 0): Schedule {
  if (!(peak > 0 && final >= 0 && final <= peak)) throw new CourseError(`cosineSchedule needs peak > 0 and 0 ≤ final ≤ peak, got ${peak} and ${final}.`);
  if (!(Number.isInteger(steps) && steps > warmupSteps && warmupSteps >= 0)) {
    throw new CourseError(`cosineSchedule needs integer steps > warmupSteps ≥ 0, got ${steps} and ${warmupSteps}.`);
  }
  return (step, timeFraction = 0) => {
    if (step < warmupSteps) return (peak * (step + 1)) / warmupSteps;
    return cosineDecay(peak, final, Math.max((step - warmupSteps) / (steps - warmupSteps), timeFraction)); // 0 → 1
  };
}

/**
 * `peak` until the last `decayFraction` of the run (of `steps` or of the time budget, whichever
 * is further along), then a straight line down to 0 (the GAN's: calmer final steps). 0 keeps it constant.
 */
export function linearDecaySchedule(peak: number, steps: number, decayFraction: number): Schedule {
  if (!(peak > 0 && decayFraction >= 0 && decayFraction <= 1)) {
    throw new CourseError(`linearDecaySchedule needs peak > 0 and 0 ≤ decayFraction ≤ 1, got ${peak} and ${decayFraction}.`);
  }
  return (step, timeFraction = 0) => {
    if (decayFraction <= 0) return peak;
    const done = Math.max(step / steps, timeFraction); //                      fraction of the run behind us
    return peak * Math.min(1, Math.max(0, 1 - done) / decayFraction);
  };
}
