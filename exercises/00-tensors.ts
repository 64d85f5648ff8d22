// Exercise file generated from solutions/00-tensors.ts by `npm run exercises`.
// Replace each TODO + throw with your code; `npm run grade` checks it. The generator never
// overwrites this file once you have changed it.
/**
 * Lesson 00 — tensors and autodiff: fit a line y ≈ w·x + b by gradient descent.
 */
import { NotImplementedError, tf } from "@course/lib";

/** The line's prediction ŷ = w·x + b for every x.  x: [N] → ŷ: [N] */
export function predict(x: tf.Tensor1D, w: tf.Scalar, b: tf.Scalar): tf.Tensor1D {
  // TODO(00.predict): write predict — notebooks/00-tensors.ipynb, section "2. A line is two tensors" explains it.
  throw new NotImplementedError("00.predict", "exercises/00-tensors.ts", "predict", "notebooks/00-tensors.ipynb, section \"2. A line is two tensors\"");
}

/** Mean squared error, mean((ŷ − y)²), as a scalar tensor.  yPred, y: [N] → [] */
export function mseLoss(yPred: tf.Tensor1D, y: tf.Tensor1D): tf.Scalar {
  // TODO(00.mse-loss): write mseLoss — notebooks/00-tensors.ipynb, section "3. How wrong is the line?" explains it.
  throw new NotImplementedError("00.mse-loss", "exercises/00-tensors.ts", "mseLoss", "notebooks/00-tensors.ipynb, section \"3. How wrong is the line?\"");
}

/** ∂loss/∂w and ∂loss/∂b at (w, b), computed by autodiff with `tf.grads`. */
export function lossGradients(
  x: tf.Tensor1D,
  y: tf.Tensor1D,
  w: tf.Scalar,
  b: tf.Scalar,
): { dw: tf.Scalar; db: tf.Scalar } {
  // TODO(00.loss-gradients): write lossGradients — notebooks/00-tensors.ipynb, section "4. Gradients for free" explains it.
  throw new NotImplementedError("00.loss-gradients", "exercises/00-tensors.ts", "lossGradients", "notebooks/00-tensors.ipynb, section \"4. Gradients for free\"");
}

export interface FitOptions {
  /** Number of gradient-descent updates. */
  steps: number;
  /** Step size η in w ← w − η·∂loss/∂w. */
  learningRate: number;
}

/**
 * Plain gradient descent from w = b = 0. Returns the fitted numbers and the loss before each
 * update. Leaves no tensor behind: every intermediate is disposed.
 */
export function fitLine(
  x: tf.Tensor1D,
  y: tf.Tensor1D,
  options: FitOptions,
): { w: number; b: number; losses: number[] } {
  // TODO(00.fit-line): write fitLine — notebooks/00-tensors.ipynb, section "5. Descending the loss" explains it.
  throw new NotImplementedError("00.fit-line", "exercises/00-tensors.ts", "fitLine", "notebooks/00-tensors.ipynb, section \"5. Descending the loss\"");
}
