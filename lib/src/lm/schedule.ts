/** Learning-rate schedules for `trainLM`'s `learningRate` option (a function of the step, from 0). */
import { CourseError } from "../errors";

/**
 * Linear warm-up from 0 to `peak` over `warmupSteps`, then half a cosine from `peak` down to
 * `final` at step `steps` (and `final` after it), as in nanoGPT's get_lr.
 */
export function cosineSchedule(peak: number, final: number, steps: number, warmupSteps = 0): (step: number) => number {
  if (!(peak > 0 && final >= 0 && final <= peak)) throw new CourseError(`cosineSchedule needs peak > 0 and 0 ≤ final ≤ peak, got ${peak} and ${final}.`);
  if (!(Number.isInteger(steps) && steps > warmupSteps && warmupSteps >= 0)) {
    throw new CourseError(`cosineSchedule needs integer steps > warmupSteps ≥ 0, got ${steps} and ${warmupSteps}.`);
  }
  return (step) => {
    if (step < warmupSteps) return (peak * (step + 1)) / warmupSteps;
    const progress = Math.min(1, (step - warmupSteps) / (steps - warmupSteps)); // 0 → 1
    return final + 0.5 * (peak - final) * (1 + Math.cos(Math.PI * progress));
  };
}
