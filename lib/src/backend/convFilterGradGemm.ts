/**
 * Conv2DBackpropFilter for wasm as one matrix product on XNNPACK:
 *
 *   dW[(kh, kw, ci), co] = Σ_{n, oh, ow} patches[(n, oh, ow), (kh, kw, ci)] · dy[(n, oh, ow), co]
 *
 * where `patches` (im2col) holds, for every output pixel, the fh×fw×Cin input values it read
 * (zeros where it read padding). Its transpose [fh·fw·Cin, N·OH·OW] is built directly, from x
 * transposed to channel planes, in runs along the image width; the product with dy (XNNPACK's
 * packed right-hand operand) is dW in its own layout.
 *
 * convFilterGrad.ts's convolution with a dy-sized, dilated filter computes the same; it is the
 * faster of the two when the input has many channels (the copying here is in runs of one
 * image row, and costs more than it saves), but 2–6× slower for the first layer of a network,
 * whose 1–3 input channels give XNNPACK a 9–25-pixel output to spread a 50k-long sum over
 * (one thread, in one run: convnet conv1, B64: 23 → 2.3 ms; DCGAN critic conv1: 3.3 → 2.4 ms).
 * So this path takes inputs of up to MAX_CHANNELS channels, `original` the rest, and NCHW,
 * non-float32 cases and patches beyond 64M values (256 MB). (Making the patches on XNNPACK
 * instead, as a depthwise convolution with a one-hot filter, was slower than both for 32–64
 * channels: UNet 16×16×32 → 32: 18 ms against 8 ms.)
 */
import * as tf from "@tensorflow/tfjs-core";
import { Info, withKernelScope } from "./kernelScope";
import { BackendWasmInternals } from "./wasmInternals";
import { xnnMatMulInfo } from "./wasmMatMul";

type Shape4 = [number, number, number, number];
const MAX_PATCH_VALUES = 64 * 1024 * 1024;
const MAX_CHANNELS = 8;

export function makeConv2DBackpropFilterWasm(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x, dy } = args.inputs as { x: Info; dy: Info };
    const attrs = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    if (attrs.dataFormat === "NCHW" || x.dtype !== "float32" || dy.dtype !== "float32") {
      return original(args);
    }
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as Shape4, attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode,
    );
    const { batchSize: nb, inHeight: h, inWidth: w, inChannels: cin } = info;
    const { outHeight: oh, outWidth: ow, outChannels: cout } = info;
    const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw } = info;
    const { top, left } = info.padInfo;
    const [dn, dh, dw, dc] = dy.shape as Shape4;
    const pixels = nb * oh * ow, k = fh * fw * cin;
    if (dn !== nb || dh !== oh || dw !== ow || dc !== cout || cin > MAX_CHANNELS ||
      pixels * k > MAX_PATCH_VALUES || pixels * k * cout === 0) {
      return original(args);
    }
    const backend = args.backend as BackendWasmInternals;
    return withKernelScope(backend, "wasm", (scope) => {
      // Channel planes [Cin, N, H, W], so that patch rows are runs along the width.
      const planes = cin === 1 ? x : scope.run(tf.Transpose, { x }, { perm: [3, 0, 1, 2] });
      const cols = scope.adopt(backend.makeOutput([k, pixels], "float32")); // patchesᵀ
      const pv = backend.typedArrayFromHeap(cols) as Float32Array;
      const xv = backend.typedArrayFromHeap(planes) as Float32Array;
      let at = 0;
      for (let kh = 0; kh < fh; kh++) {
        for (let kw = 0; kw < fw; kw++) {
          // Output columns whose input column xo·sw + kw − left lies inside the image.
          const lo = Math.max(0, Math.ceil((left - kw) / sw));
          const hi = Math.min(ow, Math.floor((w - 1 + left - kw) / sw) + 1);
          for (let ci = 0; ci < cin; ci++) {
            for (let n = 0; n < nb; n++) {
              const plane = (ci * nb + n) * h;
              for (let y = 0; y < oh; y++, at += ow) {
                const r = y * sh + kh - top;
                if (r < 0 || r >= h || hi <= lo) {
                  pv.fill(0, at, at + ow);
                  continue;
                }
                if (lo > 0) pv.fill(0, at, at + lo);
                if (hi < ow) pv.fill(0, at + hi, at + ow);
                const base = (plane + r) * w + kw - left;
                if (sw === 1) {
                  pv.set(xv.subarray(base + lo, base + hi), at + lo);
                } else {
                  for (let xo = lo; xo < hi; xo++) pv[at + xo] = xv[base + xo * sw] as number;
                }
              }
            }
          }
        }
      }
      // dW [k, Cout] = patchesᵀ [k, pixels] · dy [pixels, Cout]: dy is XNNPACK's packed operand.
      const rows = { dataId: dy.dataId, shape: [pixels, cout], dtype: dy.dtype };
      const grad = xnnMatMulInfo(backend, cols, rows, k, pixels, cout);
      grad.shape = [fh, fw, cin, cout];
      return grad;
    });
  };
}
