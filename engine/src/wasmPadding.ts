/**
 * Padding fixes for tfjs-backend-wasm 4.22's forward convolutions and pools (found by comparing
 * every op against the cpu backend):
 *
 * - pad 'same' with a filter smaller than its stride (a 1×1 conv with stride 2, a 3×2 filter
 *   with stride 3): XNNPACK's own SAME padding returns zeros or wrong values.
 * - a numeric pad with dimRoundingMode 'ceil' or 'round': tfjs allocates the rounded-up output
 *   but XNNPACK computes the floor size, leaving garbage, or writing past the output and
 *   corrupting other tensors ("memory access out of bounds").
 *
 * Both go away when the kernel gets the padding spelled out, [top, bottom] and [left, right],
 * with bottom/right large enough that XNNPACK's floor-based size equals tfjs's output size.
 * Padding reads as zero (conv) or is skipped (pools), exactly as on the cpu backend.
 */
import * as tf from "@tensorflow/tfjs-core";
import { EngineError } from "./errors";

type Shape4 = [number, number, number, number];
type Pair = number | [number, number];
type Info = tf.backend_util.Conv2DInfo;
interface PadAttrs {
  pad: "same" | "valid" | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: "floor" | "round" | "ceil";
  strides: Pair;
}
type ConvAttrs = PadAttrs & { dilations: Pair };
type PoolAttrs = PadAttrs & { filterSize: Pair };

const CONVS: ReadonlyArray<[string, boolean]> = [
  [tf.Conv2D, false],
  [tf.FusedConv2D, false],
  [tf.DepthwiseConv2dNative, true],
  [tf.FusedDepthwiseConv2D, true],
];
const POOLS = [tf.MaxPool, tf.AvgPool];
const patched = new WeakSet<tf.KernelFunc>();

function needsRewrite({ pad, dimRoundingMode }: PadAttrs): boolean {
  const roundsUp = dimRoundingMode === "ceil" || dimRoundingMode === "round";
  return pad === "same" || (typeof pad === "number" && roundsUp);
}

/**
 * Padding after the input (bottom or right) for which XNNPACK's size, ⌊(in + before + after −
 * filter) / stride⌋ + 1, is tfjs's output size: at least tfjs's own padding, more if tfjs
 * rounded up; −1 if no padding gives that size.
 */
function padAfter(info: Info, dim: "Height" | "Width", before: number, after: number): number {
  const [size, out] = [info[`in${dim}`], info[`out${dim}`]];
  const [stride, filter] = [info[`stride${dim}`], info[`effectiveFilter${dim}`]];
  const padded = Math.max(after, (out - 1) * stride + filter - size - before);
  return Math.floor((size + before + padded - filter) / stride) + 1 === out ? padded : -1;
}

/** Explicit [[0,0],[top,bottom],[left,right],[0,0]] giving XNNPACK tfjs's output size. */
function explicitPad(info: Info, kernelName: string): tf.backend_util.ExplicitPadding {
  const { top, left, bottom, right } = info.padInfo;
  const b = padAfter(info, "Height", top, bottom);
  const r = padAfter(info, "Width", left, right);
  if (b < 0 || r < 0) {
    // tfjs 4.22 sizes a numeric pad's output width from the filter *height* and stride *height*.
    throw new EngineError(
      `${kernelName}: tfjs computes an output of ${info.outHeight}×${info.outWidth}, which this ` +
        "input cannot produce. A numeric pad needs a square filter and equal strides in tfjs " +
        "4.22; use 'same', 'valid' or explicit padding instead.",
    );
  }
  return [[0, 0], [top, b], [left, r], [0, 0]];
}

function convInfo(depthwise: boolean, inputs: tf.NamedTensorInfoMap, a: ConvAttrs): Info {
  const x = (inputs.x as tf.TensorInfo).shape as Shape4;
  const filter = (inputs.filter as tf.TensorInfo).shape as Shape4;
  const { strides, dilations, pad, dimRoundingMode: round } = a;
  return tf.backend_util.computeConv2DInfo(x, filter, strides, dilations, pad, round, depthwise);
}

function poolInfo(inputs: tf.NamedTensorInfoMap, a: PoolAttrs): Info {
  const x = (inputs.x as tf.TensorInfo).shape as Shape4;
  return tf.backend_util.computePool2DInfo(x, a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
}

type InfoOf<A> = (inputs: tf.NamedTensorInfoMap, attrs: A) => Info;

function patch<A extends PadAttrs>(kernelName: string, infoOf: InfoOf<A>): void {
  const original = tf.getKernel(kernelName, "wasm");
  if (!original || patched.has(original.kernelFunc)) return;
  const kernelFunc: tf.KernelFunc = (args) => {
    const attrs = args.attrs as unknown as A;
    if (!needsRewrite(attrs)) return original.kernelFunc(args);
    const pad = explicitPad(infoOf(args.inputs, attrs), kernelName);
    const explicit = { ...attrs, pad, dimRoundingMode: undefined } as unknown as tf.NamedAttrMap;
    return original.kernelFunc({ ...args, attrs: explicit });
  };
  patched.add(kernelFunc);
  tf.unregisterKernel(kernelName, "wasm");
  tf.registerKernel({ ...original, kernelFunc });
}

/** Wrap wasm's convolution and pooling kernels (once) so that they only see explicit padding. */
export function patchWasmPadding(): void {
  for (const [name, depthwise] of CONVS) {
    patch<ConvAttrs>(name, (inputs, attrs) => convInfo(depthwise, inputs, attrs));
  }
  for (const name of POOLS) patch<PoolAttrs>(name, poolInfo);
}
