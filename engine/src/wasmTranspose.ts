/**
 * Transpose for wasm that first simplifies the permutation: size-1 axes are dropped and axes
 * that stay neighbours are merged, so [B, T, H, D] → [B, H, T, D] stays rank 4 but, e.g.,
 * [B, T, C] → [T, B, C] of a [B, T, 1, C] tensor becomes rank 3. tfjs-backend-wasm 4.22's C++
 * transpose has fast paths up to rank 4 and a per-element generic one beyond (splitting
 * attention heads, [B, T, 3, H, D] → [3, B, H, T, D]: 5.3 ms for 98k values). What is still
 * above rank 4 with its last axis staying last is copied here in runs along that axis (0.2–0.3
 * ms for the same); the rest goes to the original kernel with the merged shape.
 */
import * as tf from "@tensorflow/tfjs-core";
import { Info } from "./kernelScope";
import { BackendWasmInternals } from "./wasmInternals";

/** An equivalent transpose of lower rank: [shape, perm] of the merged axes. */
export function simplifyTranspose(shape: number[], perm: number[]): [number[], number[]] {
  const kept = shape.map((size) => size !== 1);
  const renumber: number[] = [];
  let next = 0;
  kept.forEach((k, i) => (renumber[i] = k ? next++ : -1));
  const p = perm.filter((i) => kept[i]).map((i) => renumber[i] as number);
  const sizes = shape.filter((_, i) => kept[i]);
  // Runs of output axes whose input axes are consecutive merge into one axis.
  const runs: number[][] = [];
  for (const axis of p) {
    const last = runs[runs.length - 1];
    if (last && (last[last.length - 1] as number) + 1 === axis) last.push(axis);
    else runs.push([axis]);
  }
  const byInput = [...runs].sort((a, b) => (a[0] as number) - (b[0] as number));
  const merged = byInput.map((run) => run.reduce((n, axis) => n * (sizes[axis] as number), 1));
  const mergedPerm = runs.map((run) => byInput.indexOf(run));
  return [merged, mergedPerm];
}

function transposeOnHeap(
  backend: BackendWasmInternals, x: Info, shape: number[], perm: number[], outShape: number[],
): Info {
  const out = backend.makeOutput(outShape, x.dtype);
  // Views only after makeOutput, which may grow (and so detach) the heap.
  const xv = backend.typedArrayFromHeap(x);
  const ov = backend.typedArrayFromHeap(out);
  const rank = shape.length;
  const inStrides = [...tf.util.computeStrides(shape), 1];
  const sizes = perm.map((axis) => shape[axis] as number); // the output's, merged
  const strides = perm.map((axis) => inStrides[axis] as number); // input stride per output axis
  const run = sizes[rank - 1] as number; // the last axis stays last
  const outer = rank - 1;
  const total = tf.util.sizeFromShape(shape);
  const index = new Array<number>(outer).fill(0);
  let from = 0;
  for (let to = 0; to < total; to += run) {
    ov.set(xv.subarray(from, from + run), to);
    for (let d = outer - 1; d >= 0; d--) {
      index[d] = (index[d] as number) + 1;
      from += strides[d] as number;
      if ((index[d] as number) < (sizes[d] as number)) break;
      from -= (index[d] as number) * (strides[d] as number);
      index[d] = 0;
    }
  }
  return out;
}

export function makeTransposeWasm(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: Info };
    const { perm } = args.attrs as unknown as tf.TransposeAttrs;
    if (x.dtype === "string" || x.dtype === "complex64" || x.shape.length <= 2) {
      return original(args);
    }
    const outShape = perm.map((axis) => x.shape[axis] as number);
    const [shape, p] = simplifyTranspose(x.shape, perm);
    const runs = p[p.length - 1] === p.length - 1 && (shape[shape.length - 1] as number) >= 4;
    if (shape.length === x.shape.length && (shape.length <= 4 || !runs)) return original(args);
    if (shape.length <= 4 || !runs) {
      const merged = { dataId: x.dataId, shape, dtype: x.dtype };
      const out = original({ ...args, inputs: { x: merged }, attrs: { perm: p } }) as Info;
      out.shape = outShape;
      return out;
    }
    const backend = args.backend as BackendWasmInternals;
    return transposeOnHeap(backend, x, shape, p, outShape);
  };
}
