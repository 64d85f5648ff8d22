// Generated from solutions/00-tensors.ts by `npm run exercises`: the types `lesson("00")` returns. Do not edit.
/**
 * Lesson 00 — tensors and autodiff: fit a line y ≈ w·x + b by gradient descent.
 */
import type { tf } from "../index";
/** The line's prediction ŷ = w·x + b for every x.  x: [N] → ŷ: [N] */
export declare function predict(x: tf.Tensor1D, w: tf.Scalar, b: tf.Scalar): tf.Tensor1D;
/** Mean squared error, mean((ŷ − y)²), as a scalar tensor.  yPred, y: [N] → [] */
export declare function mseLoss(yPred: tf.Tensor1D, y: tf.Tensor1D): tf.Scalar;
/** ∂loss/∂w and ∂loss/∂b at (w, b), computed by autodiff with `tf.grads`. */
export declare function lossGradients(x: tf.Tensor1D, y: tf.Tensor1D, w: tf.Scalar, b: tf.Scalar): {
    dw: tf.Scalar;
    db: tf.Scalar;
};
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
export declare function fitLine(x: tf.Tensor1D, y: tf.Tensor1D, options: FitOptions): {
    w: number;
    b: number;
    losses: number[];
};
