/**
 * Adam (Kingma & Ba, 2015) as a tf.AdamOptimizer whose learning rate a schedule can set between
 * steps. Its update is tf.train.adam's, called through the course's seam (seam.ts), which may run
 * a fused version of the same update: the moments stay where tf.AdamOptimizer keeps them, so
 * getWeights, setWeights and dispose are tf's either way.
 */
import { seam } from "../seam";
import { tf } from "../tf";

/** The private fields of tf.AdamOptimizer (tfjs-core 4.22) that the learning rate lives in. */
interface AdamRate {
  learningRate: number;
}

export class Adam extends tf.AdamOptimizer {
  /**
   * @param learningRate step size; change it between steps with setLearningRate
   * @param epsilon left out: the backend's (1e-7 in float32), as tf.train.adam does
   */
  constructor(learningRate: number, beta1 = 0.9, beta2 = 0.999, epsilon?: number) {
    super(learningRate, beta1, beta2, epsilon);
  }

  /** The step size of the next steps (a learning-rate schedule calls this every step). */
  setLearningRate(learningRate: number): void {
    (this as unknown as AdamRate).learningRate = learningRate;
  }

  getLearningRate(): number {
    return (this as unknown as AdamRate).learningRate;
  }

  override applyGradients(variableGradients: Parameters<tf.AdamOptimizer["applyGradients"]>[0]): void {
    seam.adamApply(this, variableGradients); // tf.AdamOptimizer's own update, or a fused one (seam.ts)
  }
}
