/**
 * MaxPoolGrad for wasm, on the heap in one pass. tfjs-backend-wasm 4.22's own kernel drops the
 * gradient of windows whose inputs are all negative (wasmKernels.ts replaces it with the cpu
 * backend's, which is right but copies both tensors over and walks them through TensorBuffer
 * index arithmetic: 0.9 s of a 1.1 s convnet step). This one gives the cpu kernel's answer —
 * each output's gradient goes to the first maximum of its window in row-major order, padding
 * never counts — in a few milliseconds: for every output pixel, one sweep of its window keeps
 * the best value and position per channel, then the channel gradients are added there.
 */
import * as tf from "@tensorflow/tfjs-core";
import { Info } from "./kernelScope";
import { BackendWasmInternals } from "./wasmInternals";

type Shape4 = [number, number, number, number];

export function makeMaxPoolGradWasm(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { dy, input } = args.inputs as { dy: Info; input: Info };
    const attrs = args.attrs as unknown as tf.MaxPoolGradAttrs;
    if (input.dtype !== "float32" || dy.dtype !== "float32" || input.shape.length !== 4) {
      return original(args);
    }
    const info = tf.backend_util.computePool2DInfo(
      input.shape as Shape4, attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode,
    );
    const { batchSize, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = info;
    const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw } = info;
    const { top, left } = info.padInfo;
    const [dn, dh, dw, dc] = dy.shape as Shape4;
    if (dn !== batchSize || dh !== oh || dw !== ow || dc !== c) return original(args);

    const backend = args.backend as BackendWasmInternals;
    const dx = backend.makeOutput(input.shape, "float32");
    // Views only after makeOutput, which may grow (and so detach) the heap.
    const out = backend.typedArrayFromHeap(dx) as Float32Array;
    const xv = backend.typedArrayFromHeap(input) as Float32Array;
    const gv = backend.typedArrayFromHeap(dy) as Float32Array;
    out.fill(0);
    const best = new Float32Array(c);
    const where = new Int32Array(c);
    let g = 0;
    for (let n = 0; n < batchSize; n++) {
      for (let y = 0; y < oh; y++) {
        const r0 = Math.max(0, y * sh - top), r1 = Math.min(h, y * sh - top + fh);
        for (let x = 0; x < ow; x++, g += c) {
          const c0 = Math.max(0, x * sw - left), c1 = Math.min(w, x * sw - left + fw);
          best.fill(-Infinity);
          where.fill(-1);
          for (let r = r0; r < r1; r++) {
            for (let col = c0; col < c1; col++) {
              const at = ((n * h + r) * w + col) * c;
              for (let ch = 0; ch < c; ch++) {
                const v = xv[at + ch] as number;
                if (v > (best[ch] as number)) {
                  best[ch] = v;
                  where[ch] = at + ch;
                }
              }
            }
          }
          for (let ch = 0; ch < c; ch++) {
            const to = where[ch] as number;
            if (to >= 0) out[to] = (out[to] as number) + (gv[g + ch] as number);
          }
        }
      }
    }
    return dx;
  };
}
