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
import { BackendWasmInternals, heapOffset } from "./wasmInternals";
import { simdKernels } from "./wasmSimd";

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
    // 2×2 windows of stride 2 that tile the input exactly (even sizes, no padding), the usual
    // pool: each input is read and written once, with no zero fill and no per-window arrays.
    if (fh === 2 && fw === 2 && sh === 2 && sw === 2 && top === 0 && left === 0 && h === 2 * oh && w === 2 * ow) {
      const simd = c % 4 === 0 ? simdKernels(backend) : null;
      if (simd) {
        const at = (info: Info) => heapOffset(backend, info);
        simd.maxPool2x2Grad(at(input), at(dy), at(dx), batchSize * oh, ow, c);
      } else {
        pool2x2Grad(xv, gv, out, batchSize * oh, ow, c);
      }
      return dx;
    }
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

/**
 * The gradient of a 2×2, stride-2 max pool over rows of 2·ow pixels of c channels (rows2 =
 * batch · output rows): dy goes to the first maximum of each window in row-major order, as in the
 * general loop above (strict >, from −∞: a window of NaN or −∞ gets nothing), every other input 0.
 */
function pool2x2Grad(xv: Float32Array, gv: Float32Array, out: Float32Array, rows2: number, ow: number, c: number): void {
  const rowStride = 2 * ow * c;
  let g = 0;
  for (let r = 0; r < rows2; r++) {
    for (let x = 0; x < ow; x++) {
      const p = (2 * r * 2 * ow + 2 * x) * c;
      for (let ch = 0; ch < c; ch++, g++) {
        const p0 = p + ch, p1 = p0 + c, p2 = p0 + rowStride, p3 = p2 + c;
        const v0 = xv[p0] as number, v1 = xv[p1] as number, v2 = xv[p2] as number, v3 = xv[p3] as number;
        let best = -Infinity, at = -1;
        if (v0 > best) { best = v0; at = 0; }
        if (v1 > best) { best = v1; at = 1; }
        if (v2 > best) { best = v2; at = 2; }
        if (v3 > best) at = 3;
        const d = gv[g] as number;
        out[p0] = at === 0 ? d : 0;
        out[p1] = at === 1 ? d : 0;
        out[p2] = at === 2 ? d : 0;
        out[p3] = at === 3 ? d : 0;
      }
    }
  }
}
