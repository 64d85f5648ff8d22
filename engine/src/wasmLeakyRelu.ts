/**
 * Leaky ReLU on wasm as x·step(x, α), forward and backward.
 *
 * tfjs-backend-wasm 4.22's LeakyRelu is a scalar loop with a branch per value, and tfjs-core's
 * gradient is three kernels (greater, mul, select) of which two are scalar loops too: on a DCGAN
 * activation [32, 14, 14, 64] the value takes ~2 ms and its gradient ~4. Step(x, α) (1 where
 * x > 0, else α) and Multiply are tfjs's fast element-wise kernels, ~0.1–0.2 ms each there, and
 * give the same numbers: x·1 or x·α, dy·1 or dy·α (NaN stays NaN, as α·NaN does).
 */
import * as tf from "@tensorflow/tfjs-core";
import { gradOverride } from "./gradOverride";
import { Info, withKernelScope } from "./kernelScope";

export function makeLeakyReluWasm(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: Info };
    if (x.dtype !== "float32") return original(args);
    const { alpha } = args.attrs as unknown as tf.LeakyReluAttrs;
    return withKernelScope(args.backend as tf.KernelBackend, "wasm", (scope) => {
      const mask = scope.run(tf.Step, { x }, { alpha }); //   1 where x > 0, else α
      return scope.run(tf.Multiply, { a: x, b: mask });
    });
  };
}

/** dx = dy·step(x, α) on wasm; tfjs's where(x > 0, dy, α·dy) elsewhere. */
export const leakyReluGradient = gradOverride(tf.LeakyRelu, ["x"], (dy, saved, attrs) => {
  const [x] = saved as [tf.Tensor];
  const { alpha } = attrs as unknown as tf.LeakyReluAttrs;
  return { x: () => tf.mul(dy, tf.step(x, alpha)) };
});
