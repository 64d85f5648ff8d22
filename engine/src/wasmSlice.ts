/**
 * Slice, and the kernels built from slices (Unpack = tf.unstack, SplitV = tf.split), for wasm,
 * reading the input in place. tfjs-backend-wasm 4.22's Slice copies the whole input out of the
 * heap (readSync) before copying the slice, and its Unpack and SplitV call that Slice once per
 * piece: unstacking a [B, T, C] sequence into T steps copies it T times (an LSTM over 32 steps:
 * 28 ms per unstack). Here each piece is copied straight from a heap view, in contiguous runs
 * of the innermost sliced axis.
 */
import * as tf from "@tensorflow/tfjs-core";
import { Info } from "./kernelScope";
import { BackendWasmInternals } from "./wasmInternals";

const onHeap = (x: Info) => x.dtype !== "string" && x.dtype !== "complex64";

/** A new tensor holding x[start : start + extent] (sizes already resolved, none −1). */
export function sliceOnHeap(
  backend: BackendWasmInternals, x: Info, start: number[], extent: number[],
): Info {
  const out = backend.makeOutput(extent, x.dtype);
  const total = tf.util.sizeFromShape(extent);
  if (total === 0) return out;
  // Views only after makeOutput, which may grow (and so detach) the heap.
  const xv = backend.typedArrayFromHeap(x);
  const ov = backend.typedArrayFromHeap(out);
  const strides = tf.util.computeStrides(x.shape);
  const rank = x.shape.length;
  if (rank === 0 || tf.slice_util.isSliceContinous(x.shape, start, extent)) {
    const from = rank === 0 ? 0 : tf.slice_util.computeFlatOffset(start, strides);
    ov.set(xv.subarray(from, from + total));
    return out;
  }
  // Copy runs along the last axis; `index` counts over the outer axes of the slice.
  const run = extent[rank - 1] as number;
  const runs = total / run;
  const index = new Array<number>(rank - 1).fill(0);
  for (let r = 0; r < runs; r++) {
    let from = start[rank - 1] as number;
    for (let d = 0; d < rank - 1; d++) {
      from += ((start[d] as number) + (index[d] as number)) * (strides[d] as number);
    }
    if (run === 1) ov[r] = xv[from] as number;
    else ov.set(xv.subarray(from, from + run), r * run);
    for (let d = rank - 2; d >= 0; d--) {
      index[d] = (index[d] as number) + 1;
      if ((index[d] as number) < (extent[d] as number)) break;
      index[d] = 0;
    }
  }
  return out;
}

export function makeSliceWasm(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: Info };
    const { begin, size } = args.attrs as unknown as tf.SliceAttrs;
    if (!onHeap(x)) return original(args);
    const [start, extent] = tf.slice_util.parseSliceParams(x, begin, size) as [number[], number[]];
    return sliceOnHeap(args.backend as BackendWasmInternals, x, start, extent);
  };
}

export function makeUnpackWasm(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { value } = args.inputs as { value: Info };
    const rank = value.shape.length;
    if (!onHeap(value) || rank === 0) return original(args);
    let { axis } = args.attrs as unknown as tf.UnpackAttrs;
    if (axis < 0) axis += rank;
    const pieces = value.shape[axis] as number;
    const outShape = value.shape.filter((_, i) => i !== axis);
    const start = new Array<number>(rank).fill(0);
    const extent = value.shape.slice();
    extent[axis] = 1;
    const backend = args.backend as BackendWasmInternals;
    const outs: Info[] = [];
    for (let i = 0; i < pieces; i++) {
      start[axis] = i;
      const piece = sliceOnHeap(backend, value, start, extent);
      outs.push({ ...piece, shape: outShape });
    }
    return outs;
  };
}

export function makeSplitVWasm(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: Info };
    if (!onHeap(x) || x.shape.length === 0) return original(args);
    const { numOrSizeSplits, axis } = args.attrs as unknown as tf.SplitVAttrs;
    const at = tf.util.parseAxisParam(axis, x.shape)[0] as number;
    const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, numOrSizeSplits, at);
    const backend = args.backend as BackendWasmInternals;
    const start = new Array<number>(x.shape.length).fill(0);
    return sizes.map((size) => {
      const extent = x.shape.slice();
      extent[at] = size;
      const piece = sliceOnHeap(backend, x, start.slice(), extent);
      start[at] = (start[at] as number) + size;
      return piece;
    });
  };
}
