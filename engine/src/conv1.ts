/**
 * Convolutions of a one-channel input on wasm, in the course's SIMD kernels (engine/wasm/conv1.wat):
 * the first layer of every MNIST model.
 *
 *   y[n, oy, ox, co]  = Σ_{kh, kw} xp[n, oy·sh + kh, ox·sw + kw] · W[kh, kw, 0, co]
 *   dW[kh, kw, 0, co] = Σ_{n, oy, ox} xp[n, oy·sh + kh, ox·sw + kw] · dy[n, oy, ox, co]
 *
 * where xp is x zero-padded by the convolution's padding, so that no tap needs a bounds check.
 * convFilterGradGemm.ts's product spreads this 50k-term sum (convnet conv1, B64) over an output
 * of only fh·fw rows, and XNNPACK packs all of dy for it at every call; here each output row's
 * dy stays in cache while every tap's accumulators run along it. Per training step, under
 * bench/profile.ts, ms: convnet 3×3 → 32: 4.5 → 1.5; VAE 4×4/2 → 32: 2.1 → 0.6 (two calls);
 * DCGAN critic 4×4/2 → 64: 4.7 → 1.6 (three calls).
 *
 * The forward kernel runs one thread at ~30 GFLOP/s. XNNPACK's convolution (2 threads) is
 * faster for the convnet's and the DCGAN's first layers (29 and 13 MFLOP: 0.7 against 0.8 ms,
 * 0.43 against 0.6), but spends ~0.8 ms setting up the VAE encoder's 6.4 MFLOP one, which the
 * kernel does in 0.35: so the forward kernel takes convolutions of at most SMALL_FLOP.
 *
 * The kernels take 32 output channels at a time: other channel counts, dilations, NCHW and
 * non-float32 tensors, or an engine without the SIMD kernels, keep the caller's path.
 */
import * as tf from "@tensorflow/tfjs-core";
import { Info, KernelScope, withKernelScope } from "./kernelScope";
import { BackendWasmInternals, heapOffset, padOnHeap } from "./wasmInternals";
import { simdKernels } from "./wasmSimd";

type Shape4 = [number, number, number, number];

/** Forward convolutions of at most this many floating-point operations take the SIMD kernel. */
const SMALL_FLOP = 8e6;

/** Whether the kernels take this convolution (the caller has checked NHWC and float32). */
function suits(info: tf.backend_util.Conv2DInfo): boolean {
  const { top, left } = info.padInfo;
  return info.inChannels === 1 && info.outChannels % 32 === 0 && info.dilationHeight === 1 &&
    info.dilationWidth === 1 && top >= 0 && left >= 0 && info.batchSize * info.outHeight * info.outWidth > 0;
}

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
  if (hp !== h || wp !== w) xp = scope.adopt(padOnHeap(backend, x, hp, wp, top, left));
  return { at: heapOffset(backend, xp), rowB: wp * 4, imgB: hp * wp * 4 };
}

/** Conv2D: the forward kernel for small one-channel convolutions, `original` otherwise. */
export function makeConv2DWasm(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x, filter } = args.inputs as { x: Info; filter: Info };
    const a = args.attrs as unknown as tf.Conv2DAttrs;
    if (a.dataFormat === "NCHW" || x.dtype !== "float32" || filter.dtype !== "float32" || x.shape[3] !== 1) {
      return original(args);
    }
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as Shape4, filter.shape as Shape4, a.strides, a.dilations, a.pad, a.dimRoundingMode,
    );
    const flop = 2 * info.batchSize * info.outHeight * info.outWidth * info.outChannels * info.filterHeight * info.filterWidth;
    const backend = args.backend as BackendWasmInternals;
    const simd = suits(info) && flop <= SMALL_FLOP ? simdKernels(backend) : null;
    if (!simd) return original(args);
    return withKernelScope(backend, "wasm", (scope) => {
      const xp = padded(scope, x, info);
      const y = backend.makeOutput([info.batchSize, info.outHeight, info.outWidth, info.outChannels], "float32");
      simd.conv1Forward(xp.at, heapOffset(backend, filter), heapOffset(backend, y), info.batchSize,
        info.outHeight, info.outWidth, info.filterHeight, info.filterWidth, info.strideHeight,
        info.strideWidth, info.outChannels, xp.rowB, xp.imgB);
      return y;
    });
  };
}

/**
 * dW [fh, fw, 1, Cout] of float32 NHWC x and dy (`info`: the convolution's geometry, dy already
 * checked against it) where the kernel takes the shapes (see the header), else null.
 */
export function conv1FilterGrad(backend: BackendWasmInternals, x: Info, dy: Info, info: tf.backend_util.Conv2DInfo): Info | null {
  const simd = suits(info) ? simdKernels(backend) : null;
  if (!simd) return null;
  return withKernelScope(backend, "wasm", (scope) => {
    const xp = padded(scope, x, info);
    const grad = backend.makeOutput([info.filterHeight, info.filterWidth, 1, info.outChannels], "float32");
    (backend.typedArrayFromHeap(grad) as Float32Array).fill(0);
    simd.conv1FilterGrad(xp.at, heapOffset(backend, dy), heapOffset(backend, grad), info.batchSize,
      info.outHeight, info.outWidth, info.filterHeight, info.filterWidth, info.strideHeight,
      info.strideWidth, info.outChannels, xp.rowB, xp.imgB);
    return grad;
  });
}
