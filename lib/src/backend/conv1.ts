/**
 * The filter gradient of a convolution of a one-channel input on wasm, in the course's SIMD
 * kernel (lib/wasm/conv1.wat): the first layer of every MNIST model.
 *
 *   dW[kh, kw, 0, co] = Σ_{n, oy, ox} xp[n, oy·sh + kh, ox·sw + kw] · dy[n, oy, ox, co]
 *
 * where xp is x zero-padded by the convolution's padding, so that no tap needs a bounds check.
 * convFilterGradGemm.ts's product spreads this 50k-term sum (convnet conv1, B64) over an output
 * of only fh·fw rows, and XNNPACK packs all of dy for it at every call; here each output row's
 * dy stays in cache while every tap's accumulators run along it. Per training step, under
 * bench/profile.ts, ms: convnet 3×3 → 32: 4.5 → 1.5; VAE 4×4/2 → 32: 2.1 → 0.6 (two calls);
 * DCGAN critic 4×4/2 → 64: 4.7 → 1.6 (three calls).
 *
 * The kernel takes 32 output channels at a time: other channel counts, dilations, NCHW and
 * non-float32 tensors, or an engine without the SIMD kernels, give null (the caller's path).
 * (A forward kernel built the same way was slower than XNNPACK's convolution for the convnet's
 * and the DCGAN's first layers, and is not used.)
 */
import * as tf from "@tensorflow/tfjs-core";
import { Info, KernelScope, withKernelScope } from "./kernelScope";
import { BackendWasmInternals, heapOffset } from "./wasmInternals";
import { simdKernels } from "./wasmSimd";

type Shape4 = [number, number, number, number];

/**
 * x zero-padded to cover every tap of every output pixel, [nb, hp, wp, 1]: its heap offset and
 * its row and image strides in bytes.
 */
function padded(scope: KernelScope, x: Info, info: tf.backend_util.Conv2DInfo) {
  const { inHeight: h, inWidth: w, outHeight: oh, outWidth: ow, filterHeight: fh, filterWidth: fw } = info;
  const { top, left } = info.padInfo;
  const bottom = Math.max(0, (oh - 1) * info.strideHeight + fh - h - top);
  const right = Math.max(0, (ow - 1) * info.strideWidth + fw - w - left);
  const backend = scope.backend as BackendWasmInternals;
  const hp = h + top + bottom, wp = w + left + right;
  let xp = x;
  if (hp !== h || wp !== w) {
    // tfjs-backend-wasm's PadV2 takes ~12 ns a value here; a fill and one copy per row ~2.
    xp = scope.adopt(backend.makeOutput([info.batchSize, hp, wp, 1], "float32"));
    const to = backend.typedArrayFromHeap(xp) as Float32Array, from = backend.typedArrayFromHeap(x) as Float32Array;
    to.fill(0);
    for (let n = 0; n < info.batchSize; n++) {
      for (let r = 0; r < h; r++) {
        const src = (n * h + r) * w;
        to.set(from.subarray(src, src + w), (n * hp + r + top) * wp + left);
      }
    }
  }
  return { at: heapOffset(backend, xp), rowB: wp * 4, imgB: hp * wp * 4 };
}

/** dW where the kernel takes the shapes (see the header), else null. */
export function conv1FilterGrad(backend: BackendWasmInternals, x: Info, dy: Info, a: tf.Conv2DBackpropFilterAttrs): Info | null {
  if (a.dataFormat === "NCHW" || x.dtype !== "float32" || dy.dtype !== "float32") return null;
  const { filterShape } = a;
  if (x.shape.length !== 4 || x.shape[3] !== 1 || filterShape[2] !== 1 || filterShape[3] % 32 !== 0) return null;
  const info = tf.backend_util.computeConv2DInfo(x.shape as Shape4, filterShape, a.strides, 1, a.pad, a.dimRoundingMode);
  const [dn, dh, dw, dc] = dy.shape as Shape4;
  if (dn !== info.batchSize || dh !== info.outHeight || dw !== info.outWidth || dc !== info.outChannels) return null;
  const { top, left } = info.padInfo;
  const simd = simdKernels(backend);
  if (!simd || top < 0 || left < 0 || dn * dh * dw === 0) return null;
  return withKernelScope(backend, "wasm", (scope) => {
    const xp = padded(scope, x, info);
    const grad = backend.makeOutput(filterShape, "float32");
    (backend.typedArrayFromHeap(grad) as Float32Array).fill(0);
    simd.conv1FilterGrad(xp.at, heapOffset(backend, dy), heapOffset(backend, grad), info.batchSize,
      info.outHeight, info.outWidth, info.filterHeight, info.filterWidth, info.strideHeight,
      info.strideWidth, info.outChannels, xp.rowB, xp.imgB);
    return grad;
  });
}
