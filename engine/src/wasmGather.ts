/**
 * GatherV2 (tf.gather: embedding lookups) for wasm as row copies on the heap.
 * tfjs-backend-wasm 4.22's kernel moves one value at a time through strided index arithmetic:
 * looking up 1,024 token embeddings of 32 values takes ~2 ms, 100× a copy of 128 kB. Here each
 * gathered slice is one contiguous copy. Indices outside [0, size) throw, as tfjs's kernels do.
 */
import * as tf from "@tensorflow/tfjs-core";
import { Info } from "./kernelScope";
import { BackendWasmInternals } from "./wasmInternals";

export function makeGatherV2Wasm(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x, indices } = args.inputs as { x: Info; indices: Info };
    const { axis, batchDims } = args.attrs as unknown as tf.GatherV2Attrs;
    if (x.dtype === "string" || x.dtype === "complex64" || indices.dtype !== "int32") {
      return original(args);
    }
    const at = tf.util.parseAxisParam(axis, x.shape)[0] as number;
    const info = tf.backend_util.segment_util.collectGatherOpShapeInfo(
      x as tf.TensorInfo as tf.Tensor, indices as tf.TensorInfo as tf.Tensor, at, batchDims ?? 0,
    );
    const { batchSize, outerSize, dimSize, sliceSize, outputShape } = info;
    const backend = args.backend as BackendWasmInternals;
    const out = backend.makeOutput(outputShape, x.dtype);
    const count = tf.util.sizeFromShape(indices.shape) / batchSize; // indices per batch
    if (tf.util.sizeFromShape(outputShape) === 0) return out;
    // Views only after makeOutput, which may grow (and so detach) the heap.
    const xv = backend.typedArrayFromHeap(x);
    const ov = backend.typedArrayFromHeap(out);
    const iv = backend.typedArrayFromHeap(indices) as Int32Array;
    for (let i = 0; i < iv.length; i++) {
      const index = iv[i] as number;
      if (index < 0 || index >= dimSize) {
        backend.disposeData(out.dataId);
        throw new Error(`GatherV2: the index value ${index} is not in [0, ${dimSize - 1}]`);
      }
    }
    let to = 0;
    for (let b = 0; b < batchSize; b++) {
      for (let o = 0; o < outerSize; o++) {
        const base = (b * outerSize + o) * dimSize;
        for (let i = 0; i < count; i++, to += sliceSize) {
          const from = (base + (iv[b * count + i] as number)) * sliceSize;
          if (sliceSize === 1) ov[to] = xv[from] as number;
          else ov.set(xv.subarray(from, from + sliceSize), to);
        }
      }
    }
    return out;
  };
}
