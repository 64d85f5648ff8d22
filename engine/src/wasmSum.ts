/**
 * Sum over leading axes for wasm in one pass: x viewed as [R, C] (R = the reduced leading axes),
 * each row added in turn to a [C] accumulator.
 *
 * That is the bias gradient of every dense layer (dy [B·T, C] summed over rows). tfjs-backend-wasm
 * 4.22 moves reduced axes innermost first with its own stock transpose (kernel_utils'
 * permuteAxesAndTranspose), which takes ~4 ms for a [1024, 512] gradient, then sums; this pass
 * takes ~0.4 ms. (A 1ᵀ·x product on XNNPACK takes ~1 ms: it first packs x, as it packs weights.)
 * The pass runs in the course's SIMD kernels (engine/wasm/kernels.wat) when C is even and they
 * loaded, else in JavaScript; both add in float64. Other reductions go to tfjs's kernel unchanged.
 */
import * as tf from "@tensorflow/tfjs-core";
import { Info } from "./kernelScope";
import { BackendWasmInternals, heapOffset } from "./wasmInternals";
import { f64Scratch } from "./wasmSimd";

/** How many leading axes `axis` names (0 if it is not exactly 0…k−1 with k < rank). */
function leadingAxes(axis: number | number[], shape: number[]): number {
  const axes = [...tf.util.parseAxisParam(axis, shape)].sort((a, b) => a - b);
  const leading = axes.every((a, i) => a === i);
  return leading && axes.length < shape.length ? axes.length : 0;
}

export function makeSumWasm(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: Info };
    const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs;
    const k = x.dtype === "float32" ? leadingAxes(axis, x.shape) : 0;
    const R = tf.util.sizeFromShape(x.shape.slice(0, k)), C = tf.util.sizeFromShape(x.shape.slice(k));
    if (k === 0 || R < 2 || C === 0) return original(args);
    const backend = args.backend as BackendWasmInternals;
    const shape = [...(keepDims ? x.shape.slice(0, k).map(() => 1) : []), ...x.shape.slice(k)];
    const fast = C % 2 === 0 ? f64Scratch(backend, C) : null;
    try {
      const out = backend.makeOutput(shape, "float32");
      // Views only after the last allocation, which may grow (and so detach) the heap.
      const sum = backend.typedArrayFromHeap(out) as Float32Array;
      if (fast) {
        const acc = fast.view();
        acc.fill(0);
        fast.simd.columnSums(heapOffset(backend, x), fast.at, R, C);
        sum.set(acc);
        return out;
      }
      const xv = backend.typedArrayFromHeap(x) as Float32Array;
      const acc = new Float64Array(C); // as the cpu backend adds: in double precision
      for (let r = 0; r < R; r++) {
        const row = r * C;
        for (let c = 0; c < C; c++) acc[c] += xv[row + c];
      }
      sum.set(acc);
      return out;
    } finally {
      fast?.free();
    }
  };
}
