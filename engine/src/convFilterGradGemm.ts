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
 * So this path takes inputs of up to MAX_CHANNELS channels (MAX_SIMD_CHANNELS where the SIMD
 * kernel copies the patches), `original` the rest, and NCHW, non-float32 cases and patches
 * beyond 64M values (256 MB). (Making the patches on XNNPACK
 * instead, as a depthwise convolution with a one-hot filter, was slower than both for 32–64
 * channels: UNet 16×16×32 → 32: 18 ms against 8 ms.)
 */
import * as tf from "@tensorflow/tfjs-core";
import { conv1FilterGrad } from "./conv1";
import { filterGradTaps } from "./convFilterGradTaps";
import { Info, withKernelScope } from "./kernelScope";
import { BackendWasmInternals, heapOffset } from "./wasmInternals";
import { simdKernels } from "./wasmSimd";
import { xnnMatMulInfo } from "./wasmMatMul";

type Shape4 = [number, number, number, number];
const MAX_PATCH_VALUES = 64 * 1024 * 1024;
const MAX_CHANNELS = 8;
/**
 * With column stride 1 the patches come from the course's SIMD kernel (kernels.wat's im2colT),
 * and then this path wins up to 32 input channels. One run, ms, `original` → here: convnet
 * [64,14,14,32] 3×3 → 64: 12.5 → 9.1; U-Net [16,28,28,32] → 32: 5.5 → 5.2; but [16,28,28,64]
 * → 32: 9.9 → 12.2 and [16,14,14,64] → 64: 4.4 → 4.6, so wider inputs keep `original`.
 */
const MAX_SIMD_CHANNELS = 32;

export function makeConv2DBackpropFilterWasm(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x, dy } = args.inputs as { x: Info; dy: Info };
    const attrs = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    if (attrs.dataFormat === "NCHW" || x.dtype !== "float32" || dy.dtype !== "float32") {
      return original(args);
    }
    const backend = args.backend as BackendWasmInternals;
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as Shape4, attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode,
    );
    const { batchSize: nb, inHeight: h, inWidth: w, inChannels: cin } = info;
    const { outHeight: oh, outWidth: ow, outChannels: cout } = info;
    const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw } = info;
    const { top, left } = info.padInfo;
    const [dn, dh, dw, dc] = dy.shape as Shape4;
    const pixels = nb * oh * ow, k = fh * fw * cin;
    if (dn !== nb || dh !== oh || dw !== ow || dc !== cout) return original(args);
    const oneChannel = conv1FilterGrad(backend, x, dy, info); // the SIMD kernel for 1 input channel
    if (oneChannel) return oneChannel;
    const taps = filterGradTaps(backend, x, dy, info); // stride 1, 16 or more channels: gemm on a padded grid
    if (taps) return taps;
    const simd = sw === 1 ? simdKernels(backend) : null;
    if (cin > (simd ? MAX_SIMD_CHANNELS : MAX_CHANNELS) ||
      pixels * k > MAX_PATCH_VALUES || pixels * k * cout === 0) {
      return original(args);
    }
    return withKernelScope(backend, "wasm", (scope) => {
      // Channel planes [Cin, N, H, W], so that patch rows are runs along the width.
      const planes = cin === 1 ? x : scope.run(tf.Transpose, { x }, { perm: [3, 0, 1, 2] });
      const cols = scope.adopt(backend.makeOutput([k, pixels], "float32")); // patchesᵀ
      if (simd) {
        simd.im2colT(heapOffset(backend, planes), heapOffset(backend, cols), nb, h, w, oh, ow, fh, fw, cin, sh, top, left);
      } else {
        im2colT(backend, planes, cols, { nb, h, w, oh, ow, fh, fw, cin, sh, sw, top, left });
      }
      // dW [k, Cout] = patchesᵀ [k, pixels] · dy [pixels, Cout]: dy is XNNPACK's packed operand.
      const rows = { dataId: dy.dataId, shape: [pixels, cout], dtype: dy.dtype };
      const grad = xnnMatMulInfo(backend, cols, rows, k, pixels, cout);
      grad.shape = [fh, fw, cin, cout];
      return grad;
    });
  };
}

interface Geometry {
  nb: number; h: number; w: number; oh: number; ow: number; fh: number; fw: number; cin: number;
  sh: number; sw: number; top: number; left: number;
}

/** patchesᵀ [fh·fw·Cin, N·OH·OW] from channel planes, in JavaScript (kernels.wat's im2colT is the SIMD one). */
function im2colT(backend: BackendWasmInternals, planes: Info, cols: Info, g: Geometry): void {
  const { nb, h, w, oh, ow, fh, fw, cin, sh, sw, top, left } = g;
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
}
