/**
 * Identity, and Cast to the dtype a tensor already has, without a copy.
 *
 * tfjs-backend-wasm 4.22 copies the whole tensor for both, where the cpu backend shares the data
 * (as wasm's own Reshape does): tensors are immutable, so an output that is the input needs only
 * one more reference to the same data. Gradients call both often: tf.clone in the engine's
 * bookkeeping, and the cast(step(x), 'float32') of every ReLU's gradient. On the convnet that was
 * 38 copies per step, the largest 6.4 MB.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Info } from "./kernelScope";

interface RefCounted {
  incRef(dataId: tf.DataId): void;
}

/** One more reference to `x`'s data, as a new TensorInfo with the same shape and dtype. */
function alias(backend: unknown, x: Info): Info {
  (backend as RefCounted).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

export function makeIdentityWasm(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: Info };
    return x.dtype === "string" ? original(args) : alias(args.backend, x);
  };
}

export function makeCastWasm(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: Info };
    const { dtype } = args.attrs as unknown as tf.CastAttrs;
    return dtype === x.dtype && dtype !== "string" ? alias(args.backend, x) : original(args);
  };
}
