/**
 * Conv2DBackpropFilter at stride 1 as products on a padded grid, in the course's gemm kernel on
 * every thread (wasmGemmThreads.ts).
 *
 * Lay x, zero-padded, on a grid of Hp×Wp = (OH + fh − 1)×(OW + fw − 1) pixels per image, and dy
 * on the same grid (zeros where no output pixel lies). Then output pixel q reads tap (kh, kw)
 * at grid pixel q + kh·Wp + kw, and for one kh the fw taps are consecutive pixels, so
 *
 *   dW[kh, kw, ci, co] = Σ_q xp[q + kh·Wp + kw, ci] · dyp[q, co]
 *
 * is, for each kh, one product Aᵀ·dyp with A(kw·Cin + ci, q) = xp[(q + kh·Wp)·Cin + kw·Cin + ci]:
 * stride 4 bytes along the rows of dW[kh] (which are [fw·Cin, Cout] in its own layout) and Cin
 * values along q. The sum over q runs in blocks of CHUNK pixels, so that a block of xp and dyp
 * stays in cache while all of dW[kh] is updated. The padding costs (Hp·Wp)/(OH·OW) more
 * arithmetic (1.15× at 28×28 with a 3×3 filter, 1.31× at 14×14): see MAX_WASTE.
 * XNNPACK's dilated convolution (convFilterGrad.ts) sums a 12,544-long product into a 3×3
 * output at 44–49 GFLOP/s on the U-Net's layers; this runs them at 61–67 on two threads.
 */
import * as tf from "@tensorflow/tfjs-core";
import { Info, withKernelScope } from "./kernelScope";
import { BackendWasmInternals, heapOffset, padOnHeap } from "./wasmInternals";
import { gemmThreaded } from "./wasmGemmThreads";
import { simdKernels } from "./wasmSimd";

/** Grid pixels summed per product: a block of xp and dyp stays in the core's cache. */
const CHUNK = 512;
/**
 * The most extra arithmetic the padded grid may cost, (Hp·Wp)/(OH·OW): against XNNPACK's
 * dilated convolution up to 1.6; up to 32 input channels the im2col path (convFilterGradGemm.ts)
 * is the alternative, and it wins above 1.2. One run, ms, before → here: U-Net [16,28,28,64] → 32
 * (1.15) 10.6 → 6.9, [16,14,14,128] → 64 (1.31) 10.1 → 7.6, [16,28,28,32] → 32 (1.15, im2col)
 * 4.8 → 3.6; but the convnet's [64,14,14,32] → 64 (1.31, im2col) 7.8 → 8.6.
 */
const MAX_WASTE = 1.6;
const MAX_WASTE_NARROW = 1.2;
const NARROW = 32;
/** Fewer input channels than this keep their own paths (im2col, conv1.ts). */
const MIN_CHANNELS = 16;

/** dW [fh, fw, Cin, Cout] for stride 1 and dilation 1, or null where this path does not apply. */
export function filterGradTaps(backend: BackendWasmInternals, x: Info, dy: Info, info: tf.backend_util.Conv2DInfo): Info | null {
  const { batchSize: nb, inHeight: h, inWidth: w, inChannels: cin, outHeight: oh, outWidth: ow, outChannels: cout } = info;
  const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const { top, left } = info.padInfo;
  const hp = oh + fh - 1, wp = ow + fw - 1;
  if (sh !== 1 || sw !== 1 || dh !== 1 || dw !== 1 || cin < MIN_CHANNELS || (fw * cin) % 4 !== 0 ||
    hp * wp > (cin > NARROW ? MAX_WASTE : MAX_WASTE_NARROW) * oh * ow || nb * oh * ow * cout === 0) {
    return null;
  }
  const simd = simdKernels(backend);
  if (!simd) return null;
  const grid = nb * hp * wp;
  const tail = (fh - 1) * wp + fw - 1; // the farthest tap: xp runs that far past the grid
  return withKernelScope(backend, "wasm", (scope) => {
    const xp = scope.adopt(padOnHeap(backend, x, hp, wp, top, left, tail * cin)); // x on the grid, then zeros past it
    const dyp = scope.adopt(padOnHeap(backend, dy, hp, wp, 0, 0)); // dy on the grid, zeros right of and below it
    const grad = scope.adopt(backend.makeOutput([fh, fw, cin, cout], "float32"));
    (backend.typedArrayFromHeap(grad) as Float32Array).fill(0);
    const [xpAt, dypAt, gradAt] = [xp, dyp, grad].map((t) => heapOffset(backend, t)) as [number, number, number];
    for (let q0 = 0; q0 < grid; q0 += CHUNK) {
      const k = Math.min(CHUNK, grid - q0);
      for (let kh = 0; kh < fh; kh++) {
        gemmThreaded(backend, simd, [
          xpAt + 4 * (q0 + kh * wp) * cin, dypAt + 4 * q0 * cout, gradAt + 4 * kh * fw * cin * cout,
          fw * cin, cout, k, 4, 4 * cin, 4 * cout, 4 * cout, 1,
        ]);
      }
    }
    return grad;
  });
}
