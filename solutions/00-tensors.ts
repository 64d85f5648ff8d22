/**
 * Lesson 00 — tensors and autodiff: fit a line y ≈ w·x + b by gradient descent.
 */
import { tf } from "@course/lib";

/** The line's prediction ŷ = w·x + b for every x.  x: [N] → ŷ: [N] */
export function predict(x: tf.Tensor1D, w: tf.Scalar, b: tf.Scalar): tf.Tensor1D {
  // BEGIN SOLUTION exercise=00.predict section="2. A line is two tensors"
  return tf.tidy(() => x.mul(w).add(b));
  // END SOLUTION
}

/** Mean squared error, mean((ŷ − y)²), as a scalar tensor.  yPred, y: [N] → [] */
export function mseLoss(yPred: tf.Tensor1D, y: tf.Tensor1D): tf.Scalar {
  // BEGIN SOLUTION exercise=00.mse-loss section="3. How wrong is the line?"
  return tf.tidy(() => yPred.sub(y).square().mean());
  // END SOLUTION
}

/** ∂loss/∂w and ∂loss/∂b at (w, b), computed by autodiff with `tf.grads`. */
export function lossGradients(
  x: tf.Tensor1D,
  y: tf.Tensor1D,
  w: tf.Scalar,
  b: tf.Scalar,
): { dw: tf.Scalar; db: tf.Scalar } {
  // BEGIN SOLUTION exercise=00.loss-gradients section="4. Gradients for free"
  const [dw, db] = tf.grads((wv: tf.Tensor, bv: tf.Tensor) =>
    mseLoss(predict(x, wv as tf.Scalar, bv as tf.Scalar), y),
  )([w, b]) as [tf.Scalar, tf.Scalar];
  return { dw, db };
  // END SOLUTION
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
  // BEGIN SOLUTION exercise=00.fit-line section="5. Descending the loss"
  let w = 0, b = 0;
  const losses: number[] = [];
  for (let step = 0; step < options.steps; step++) {
    // One tidy per step frees every intermediate; one read per step brings the numbers back.
    const packed = tf.tidy(() => {
      const wt = tf.scalar(w), bt = tf.scalar(b);
      const { dw, db } = lossGradients(x, y, wt, bt);
      return tf.stack([mseLoss(predict(x, wt, bt), y), dw, db]); // [3]
    });
    const [loss, dw, db] = packed.dataSync();
    packed.dispose();
    losses.push(loss as number);
    w -= options.learningRate * (dw as number);
    b -= options.learningRate * (db as number);
  }
  return { w, b, losses };
  // END SOLUTION
}
