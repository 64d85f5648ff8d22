/**
 * For the fused layers (norm.ts, gpt.ts, lstm.ts): running a kernel by name, and
 * tf.customGrad for a function of several tensors with the types its typings leave loose.
 */
import * as tf from "@tensorflow/tfjs-core";

/** The save function tf.customGrad passes last: what the gradient will get back as `saved`. */
export type Save = (tensors: tf.Tensor[]) => void;
/** What a custom op's function returns: its value and the gradient of each input. */
export type Grad = { value: tf.Tensor; gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[] };

/** The kernel `name` on the current backend: one output, or several. */
export function runKernel(name: string, inputs: Record<string, tf.Tensor>, attrs: object = {}): tf.Tensor | tf.Tensor[] {
  return tf.engine().runKernel(name, inputs as tf.NamedTensorMap, attrs as tf.NamedAttrMap) as tf.Tensor | tf.Tensor[];
}

/** tf.customGrad for `f(...tensors, save)` (its typings take one loose argument list). */
export function customOp(f: (...args: Array<tf.Tensor | Save>) => Grad): (...inputs: tf.Tensor[]) => tf.Tensor {
  return tf.customGrad(f as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (...inputs: tf.Tensor[]) => tf.Tensor;
}
