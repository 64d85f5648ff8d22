/**
 * Adam's update as one kernel per variable per step on the wasm backend (wasmAdam.ts), applied to
 * a tf.AdamOptimizer's own state: the moments live where tf.train.adam keeps them (one m and one
 * v variable per trained variable, in the order of the variable list, named `<variable>/m` and
 * `<variable>/v`; the running β1ᵗ and β2ᵗ), so getWeights, setWeights and dispose stay tf's and
 * the two updates can take turns within one training run. The course's seam (lib/src/seam.ts)
 * runs fusedAdamApply while `fusedWasmActive()` and tf's applyGradients otherwise.
 */
import * as tf from "@tensorflow/tfjs-core";
import { adamUpdate } from "../wasmAdam";
import { EngineError } from "../errors";

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
  incrementIterations(): void;
}

/** The gradients an optimizer's applyGradients takes. */
export type VariableGradients = Parameters<tf.AdamOptimizer["applyGradients"]>[0];

/** Throws unless `opt` has tfjs-core 4.22's AdamOptimizer internals, which fusedAdamApply updates. */
export function checkAdamInternals(opt: tf.AdamOptimizer): void {
  const state = opt as unknown as Partial<AdamState>;
  if (!state.accBeta1 || !Array.isArray(state.accumulatedFirstMoment)) {
    throw new EngineError("The fused Adam expects tfjs-core 4.22's AdamOptimizer internals; install @tensorflow/tfjs-core 4.22.0 (see package.json).");
  }
}

/** One Adam step of every variable in `variableGradients`, as tf.AdamOptimizer.applyGradients does. */
export function fusedAdamApply(opt: tf.AdamOptimizer, variableGradients: VariableGradients): void {
  checkAdamInternals(opt);
  const s = opt as unknown as AdamState;
  const named = Array.isArray(variableGradients)
    ? variableGradients
    : Object.keys(variableGradients).map((name) => ({ name, tensor: variableGradients[name] as tf.Tensor | undefined }));
  tf.tidy(() => {
    named.forEach(({ name, tensor: grad }, i) => {
      const value = tf.engine().registeredVariables[name];
      if (!value) throw new EngineError(`Adam: no variable named '${name}'; pass the model's tf.Variables to minimize().`);
      const [m, v] = moments(s, i, name, value);
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
  s.incrementIterations();
}

/** Variable i's m and v, made (zeros, not trainable) on its first step as tf.train.adam does. */
function moments(s: AdamState, i: number, name: string, value: tf.Variable): [tf.Variable, tf.Variable] {
  s.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
  s.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
  return [s.accumulatedFirstMoment[i].variable, s.accumulatedSecondMoment[i].variable];
}
