/**
 * UnsortedSegmentSum for wasm: the gradient of tf.gather, so of every embedding lookup.
 * tfjs-backend-wasm 4.22 lacks it.
 *
 * out[segmentIds[i], ...] += x[i, ...]. A plain loop over the wasm heap is O(size of x); the cpu
 * backend instead builds a [numSegments, N] one-hot mask, which is O(vocabulary × tokens).
 * Ids outside [0, numSegments) add nothing, as on the cpu backend.
 */
import * as tf from "@tensorflow/tfjs-core";
import { Info } from "./kernelScope";

/** The part of tfjs-backend-wasm's BackendWasm this kernel uses. */
export interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): Info;
  typedArrayFromHeap(info: Info): tf.TypedArray;
}

export const unsortedSegmentSumWasm: tf.KernelFunc = ({ inputs, attrs, backend }) => {
  const { x, segmentIds } = inputs as { x: Info; segmentIds: Info };
  const { numSegments } = attrs as unknown as tf.UnsortedSegmentSumAttrs;
  const wasm = backend as WasmHeapBackend;
  const segRank = segmentIds.shape.length;
  const innerShape = x.shape.slice(segRank);
  const inner = tf.util.sizeFromShape(innerShape);
  const rows = tf.util.sizeFromShape(segmentIds.shape);
  // makeOutput may grow the heap and so detach earlier views: allocate before taking views.
  const out = wasm.makeOutput([numSegments, ...innerShape], x.dtype);
  const outVals = wasm.typedArrayFromHeap(out);
  const xVals = wasm.typedArrayFromHeap(x);
  const ids = wasm.typedArrayFromHeap(segmentIds);
  outVals.fill(0);
  for (let r = 0; r < rows; r++) {
    const seg = ids[r];
    if (seg < 0 || seg >= numSegments) continue;
    const from = r * inner, to = seg * inner;
    for (let k = 0; k < inner; k++) {
      outVals[to + k] += xVals[from + k];
    }
  }
  return out;
};
