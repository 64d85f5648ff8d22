/**
 * Conv2DBackpropFilter for wasm (the weight gradient of every conv2d and conv2dTranspose),
 * which tfjs-backend-wasm 4.22 lacks.
 *
 *   dW[kh, kw, ci, co] = Σ_{n,oh,ow} x[n, oh·s + kh − top, ow·s + kw − left, ci] · dy[n, oh, ow, co]
 *
 * is itself a convolution: treat x as a batch of Cin images with N channels (x → [Cin, H, W, N])
 * and dy as a filter of size OH×OW with N in- and Cout out-channels (dy → [OH, OW, N, Cout]).
 * With stride 1 and dilation = the original stride, output pixel (kh, kw) lines up with the sum
 * above. The padding is explicit: the original top/left, and just enough bottom/right for the
 * output to reach fh×fw; inputs the original never read (a 'valid' stride that does not divide
 * H) make the output larger than the filter, so it is cut back to fh×fw. tfjs only takes
 * gradients of undilated convs, so this covers every NHWC case; anything else borrows the cpu
 * kernel (slow, but correct).
 */
import * as tf from "@tensorflow/tfjs-core";
import { borrowCpuKernel } from "./borrowCpu";
import { Info, KernelScope, withKernelScope } from "./kernelScope";

type Shape4 = [number, number, number, number];
const cpuFallback = borrowCpuKernel(tf.Conv2DBackpropFilter);

export const conv2DBackpropFilterWasm: tf.KernelFunc = (args) => {
  const attrs = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  const { x, dy } = args.inputs as { x: Info; dy: Info };
  if (attrs.dataFormat === "NCHW" || x.dtype !== "float32" || dy.dtype !== "float32") {
    return cpuFallback(args);
  }
  return withKernelScope(args.backend as tf.KernelBackend, "wasm", (scope) =>
    filterGradNHWC(scope, x, dy, attrs),
  );
};

function filterGradNHWC(
  scope: KernelScope,
  x: Info,
  dy: Info,
  attrs: tf.Conv2DBackpropFilterAttrs,
): Info {
  const [, h, w, cin] = x.shape as Shape4;
  const [, oh, ow, cout] = dy.shape as Shape4;
  const [fh, fw] = attrs.filterShape;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as Shape4, attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode,
  );
  const { strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  // Rows the new conv must reach: the original's last read is row (oh−1)·sh + fh − 1 − top.
  const bottom = Math.max(0, (oh - 1) * sh + fh - h - top);
  const right = Math.max(0, (ow - 1) * sw + fw - w - left);

  const xT = scope.run(tf.Transpose, { x }, { perm: [3, 1, 2, 0] }); // [Cin, H, W, N]
  const dyT = scope.run(tf.Transpose, { x: dy }, { perm: [1, 2, 0, 3] }); // [OH, OW, N, Cout]
  let grad = scope.run(tf.Conv2D, { x: xT, filter: dyT }, {
    strides: [1, 1],
    dilations: [sh, sw],
    pad: [[0, 0], [top, bottom], [left, right], [0, 0]],
    dataFormat: "NHWC",
  }); // [Cin, ≥fh, ≥fw, Cout]
  if (grad.shape[1] !== fh || grad.shape[2] !== fw) {
    grad = scope.run(tf.Slice, { x: grad }, { begin: [0, 0, 0, 0], size: [cin, fh, fw, cout] });
  }
  return scope.run(tf.Transpose, { x: grad }, { perm: [1, 2, 0, 3] }); // [fh, fw, Cin, Cout]
}
