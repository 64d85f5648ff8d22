/**
 * Conv2DBackpropInput for wasm on XNNPACK: the input gradient of every conv2d and the forward
 * pass of every conv2dTranspose. tfjs-backend-wasm 4.22 runs it as a scalar loop (~1.5
 * GFLOP/s). Two exact rewrites, chosen by shape:
 *
 * Sub-pixel convolution (stride 1, and strides that divide the filter, e.g. 4×4 or 2×2 at 2).
 * For stride s, pad top and a filter of height fh (one dimension shown; width is the same):
 *
 *   dx[i] = Σ_{oh, kh : oh·s + kh = i + top} dy[oh] · W[kh]
 *
 * Write i + top = q·s + r with 0 ≤ r < s. Then kh = t·s + r for t = q − oh ≥ 0, so each phase r
 * of the output is a stride-1 correlation of dy with the taps W[r], W[s + r], W[2s + r], …
 * reversed. All s² phases (s_h·s_w in 2-D) are one convolution on XNNPACK — dy as the input,
 * a ⌈fh/s⌉×⌈fw/s⌉ filter with s²·Cin output channels (phase-major, taps beyond the filter
 * zero) — whose output pixel q, channel block (r_h, r_w), is dx's pixel (q·s + r − top).
 * Interleaving the phases is one transpose (the permutation of DepthToSpace, whose wasm kernel
 * is ~100× slower than Transpose), then a slice cuts the rows before `top` and after the input.
 * Unlike convolving a zero-dilated dy, it multiplies no inserted zeros.
 *
 * Matmul + scatter (col2im) where the stride does not divide the filter (5×5 or 3×3 at stride
 * 2), whose phase filters would be padded with zero taps: cols = dy[N·OH·OW, Cout] ·
 * W[fh·fw·Cin, Cout]ᵀ on XNNPACK, then each row adds its fh×fw×Cin patch into dx.
 *
 * Measured in one run (1 thread, ms, sub-pixel | col2im): DCGAN 7→14 5×5/2 128→64: 32 | 20;
 * 4×4/2 64→32: 3.9 | 4.1; convnet dx 3×3/1: 15.7 | 19.8; VAE 7→14 3×3/2: 3.7 | 2.3.
 *
 * NCHW, non-float32 and explicit paddings wider than the filter keep the original kernel.
 */
import * as tf from "@tensorflow/tfjs-core";
import { Info, withKernelScope } from "./kernelScope";
import { backpropInputPhases, phaseFilter, phasesPlan } from "./convInputGradPhases";
import { BackendWasmInternals } from "./wasmInternals";

type Shape4 = [number, number, number, number];

interface Plan {
  batch: number; h: number; w: number; cin: number; cout: number;
  fh: number; fw: number; sh: number; sw: number;
  /** Taps per phase: ⌈fh/sh⌉, ⌈fw/sw⌉. */
  th: number; tw: number;
  /** Explicit padding of the stride-1 convolution over dy. */
  pad: tf.backend_util.ExplicitPadding;
  /** Where dx starts in the interleaved output: top mod sh, left mod sw. */
  offH: number; offW: number;
  /** The original convolution's padding before the input. */
  top: number; left: number;
}

function plan(dy: Info, filter: Info, attrs: tf.Conv2DBackpropInputAttrs): Plan | null {
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape, filter.shape as Shape4, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode,
  );
  const { batchSize: batch, inHeight: h, inWidth: w, inChannels: cin, outChannels: cout } = info;
  const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  const [dn, oh, ow, dc] = dy.shape as Shape4;
  if (dn !== batch || oh !== info.outHeight || ow !== info.outWidth || dc !== cout) return null;
  if (top < 0 || left < 0 || top > fh - 1 || left > fw - 1) return null;
  const th = Math.ceil(fh / sh), tw = Math.ceil(fw / sw);
  // Phase rows q run from ⌊top/s⌋ to ⌊(top + h − 1)/s⌋; the conv's output row j is q − ⌊top/s⌋.
  const q0h = Math.floor(top / sh), q0w = Math.floor(left / sw);
  const rows = Math.floor((top + h - 1) / sh) - q0h + 1;
  const cols = Math.floor((left + w - 1) / sw) - q0w + 1;
  const padTop = th - 1 - q0h, padLeft = tw - 1 - q0w;
  const padBottom = Math.max(0, rows - oh - padTop + th - 1);
  const padRight = Math.max(0, cols - ow - padLeft + tw - 1);
  const pad: tf.backend_util.ExplicitPadding =
    [[0, 0], [padTop, padBottom], [padLeft, padRight], [0, 0]];
  return {
    batch, h, w, cin, cout, fh, fw, sh, sw, th, tw, pad,
    offH: top - q0h * sh, offW: left - q0w * sw, top, left,
  };
}

function backpropInput(backend: BackendWasmInternals, dy: Info, filter: Info, p: Plan): Info {
  return withKernelScope(backend, "wasm", (scope) => {
    const all = Array.from({ length: p.sh * p.sw }, (_, i) => [Math.floor(i / p.sw), i % p.sw] as const);
    const g = phaseFilter(backend, scope, filter, p, all); // [th, tw, Cout, sh·sw·Cin]
    const y = scope.run(tf.Conv2D, { x: dy, filter: g }, {
      strides: [1, 1], pad: p.pad, dilations: [1, 1], dataFormat: "NHWC",
    });
    const [, rows, cols] = y.shape as Shape4;
    const { sh, sw, batch, cin, h, w, offH, offW } = p;
    let z = y;
    if (sh > 1 || sw > 1) {
      // Interleave the phases: [N·rows, cols, sh, sw, Cin] → [N·rows, sh, cols, sw, Cin].
      const split = { dataId: y.dataId, shape: [batch * rows, cols, sh, sw, cin], dtype: y.dtype };
      z = scope.run(tf.Transpose, { x: split }, { perm: [0, 2, 1, 3, 4] });
      z.shape = [batch, rows * sh, cols * sw, cin];
    }
    if (offH === 0 && offW === 0 && z.shape[1] === h && z.shape[2] === w) return z;
    return scope.run(tf.Slice, { x: z }, { begin: [0, offH, offW, 0], size: [batch, h, w, cin] });
  });
}

/**
 * The same gradient as one matmul and a scatter: cols = dy[N·OH·OW, Cout] · W[fh·fw·Cin, Cout]ᵀ
 * on XNNPACK, then each row of cols adds its fh×fw×Cin patch into dx (JavaScript, on the heap).
 */
function backpropInputCol2im(backend: BackendWasmInternals, dy: Info, filter: Info, p: Plan): Info {
  return withKernelScope(backend, "wasm", (scope) => {
    const [, oh, ow, cout] = dy.shape as Shape4;
    const { batch, h, w, cin, fh, fw, sh, sw, top, left } = p;
    const rows = { dataId: dy.dataId, shape: [batch * oh * ow, cout], dtype: dy.dtype };
    const taps = { dataId: filter.dataId, shape: [fh * fw * cin, cout], dtype: filter.dtype };
    const cols = scope.run(tf.BatchMatMul, { a: rows, b: taps }, { transposeA: false, transposeB: true });
    const dx = scope.adopt(backend.makeOutput([batch, h, w, cin], "float32"));
    const out = backend.typedArrayFromHeap(dx) as Float32Array;
    const cv = backend.typedArrayFromHeap(cols) as Float32Array;
    out.fill(0);
    const patch = fh * fw * cin;
    let c = 0;
    for (let n = 0; n < batch; n++) {
      for (let y = 0; y < oh; y++) {
        for (let x = 0; x < ow; x++, c += patch) {
          for (let kh = 0; kh < fh; kh++) {
            const i = y * sh + kh - top;
            if (i < 0 || i >= h) continue;
            for (let kw = 0; kw < fw; kw++) {
              const j = x * sw + kw - left;
              if (j < 0 || j >= w) continue;
              const to = ((n * h + i) * w + j) * cin;
              const from = c + (kh * fw + kw) * cin;
              for (let ci = 0; ci < cin; ci++) out[to + ci] += cv[from + ci] as number;
            }
          }
        }
      }
    }
    return dx;
  });
}

export function makeConv2DBackpropInputWasm(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { dy, filter } = args.inputs as { dy: Info; filter: Info };
    const attrs = args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
    if (attrs.dataFormat === "NCHW" || dy.dtype !== "float32" || filter.dtype !== "float32") {
      return original(args);
    }
    const p = plan(dy, filter, attrs);
    if (!p || p.batch * p.h * p.w * p.cin === 0) return original(args);
    const backend = args.backend as BackendWasmInternals;
    // A stride that does not divide the filter pads the phase filters with zero taps (a 5×5
    // filter at stride 2 computes 6×6): the matmul + scatter wastes nothing there.
    const wasteful = p.fh % p.sh !== 0 || p.fw % p.sw !== 0;
    if (wasteful) return backpropInputCol2im(backend, dy, filter, p);
    // Strides above 1 compute each phase on its own where that is exact (convInputGradPhases.ts).
    const phases = phasesPlan(p, dy.shape[1] as number, dy.shape[2] as number);
    return phases ? backpropInputPhases(backend, dy, filter, p, phases) : backpropInput(backend, dy, filter, p);
  };
}
