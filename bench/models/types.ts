/** What every benchmark model provides to the harness. */
import type { tf } from "@course/lib";

/** A training sequence the harness checks: its loss must be finite and fall over a few steps. */
export interface Guard {
  name: string;
  /** One optimiser step on the fixed batch; returns the scalar loss before the update. */
  step: () => tf.Tensor;
}

export interface BenchModel {
  /**
   * One full training step (forward, backward, Adam update) on the fixed batch. Returns the
   * loss, or the losses of a multi-part step, as one tensor for a single read-back.
   */
  step: () => tf.Tensor;
  /** What the correctness guard trains (default: `step`, which must then return a scalar). */
  guards?: Guard[];
  dispose: () => void;
}
