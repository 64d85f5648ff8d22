/**
 * Adam with one kernel per variable per step on the wasm backend (backend/wasmAdam.ts) and
 * tf.train.adam's own update everywhere else (cpu, webgpu, tensorflow, or GENAI_WASM_SPEEDUPS=0).
 *
 * It IS a tf.AdamOptimizer: the moments live in the same places (one m and one v variable per
 * trained variable, in the order of the variable list, named `<variable>/m` and `<variable>/v`;
 * the running β1ᵗ and β2ᵗ), so getWeights, setWeights and dispose are tf's, and the two paths can
 * take turns within one training run. Only applyGradients is replaced, and only on wasm.
 */
import { adamUpdate } from "../backend/wasmAdam";
import { fusedWasmActive } from "../backend/wasmSpeedups";
import { CourseError } from "../errors";
import { tf } from "../setup";

/** tf.AdamOptimizer's state in tfjs-core 4.22 (private there, shared here). */
interface AdamState {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: Array<{ originalName: string; variable: tf.Variable }>;
  accumulatedSecondMoment: Array<{ originalName: string; variable: tf.Variable }>;
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

/** Whether the fused update runs now: the wasm backend with its speed work on (and GENAI_WASM_FUSED ≠ 0). */
export function fusedAdamActive(): boolean {
  return fusedWasmActive();
}

export class FusedAdam extends tf.AdamOptimizer {
  /**
   * @param learningRate step size; change it between steps with setLearningRate
   * @param epsilon left out: the backend's (1e-7 in float32), as tf.train.adam does
   */
  constructor(learningRate: number, beta1 = 0.9, beta2 = 0.999, epsilon?: number) {
    super(learningRate, beta1, beta2, epsilon);
    const state = this as unknown as Partial<AdamState>;
    if (!state.accBeta1 || !Array.isArray(state.accumulatedFirstMoment)) {
      throw new CourseError("FusedAdam expects tfjs-core 4.22's AdamOptimizer internals; install @tensorflow/tfjs-core 4.22.0 (see package.json).");
    }
  }

  /** The step size of the next steps (a learning-rate schedule calls this every step). */
  setLearningRate(learningRate: number): void {
    (this as unknown as AdamState).learningRate = learningRate;
  }

  getLearningRate(): number {
    return (this as unknown as AdamState).learningRate;
  }

  override applyGradients(variableGradients: Parameters<tf.AdamOptimizer["applyGradients"]>[0]): void {
    if (!fusedAdamActive()) {
      super.applyGradients(variableGradients);
      return;
    }
    const s = this as unknown as AdamState;
    const named = Array.isArray(variableGradients)
      ? variableGradients
      : Object.keys(variableGradients).map((name) => ({ name, tensor: variableGradients[name] as tf.Tensor | undefined }));
    tf.tidy(() => {
      named.forEach(({ name, tensor: grad }, i) => {
        const value = tf.engine().registeredVariables[name];
        if (!value) throw new CourseError(`FusedAdam: no variable named '${name}'; pass the model's tf.Variables to minimize().`);
        const [m, v] = this.moments(s, i, name, value);
        if (grad == null) return;
        const attrs = { learningRate: s.learningRate, beta1: s.beta1, beta2: s.beta2, epsilon: s.epsilon };
        const [newValue, newM, newV] = adamUpdate(value, grad, m, v, s.accBeta1, s.accBeta2, attrs);
        m.assign(newM);
        v.assign(newV);
        value.assign(newValue);
      });
      s.accBeta1.assign(tf.mul(s.accBeta1, s.beta1));
      s.accBeta2.assign(tf.mul(s.accBeta2, s.beta2));
    });
    this.incrementIterations();
  }

  /** Variable i's m and v, made (zeros, not trainable) on its first step as tf.train.adam does. */
  private moments(s: AdamState, i: number, name: string, value: tf.Variable): [tf.Variable, tf.Variable] {
    s.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
    s.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
    return [s.accumulatedFirstMoment[i].variable, s.accumulatedSecondMoment[i].variable];
  }
}
