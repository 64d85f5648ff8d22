/**
 * A GPT's layer norm and causal softmax as single wasm kernels on the heap, forward and
 * backward. Composed from tfjs ops they are 5–30 kernels per call (a layer norm's moments, its
 * gradient's sums over rows, which transpose first; the attention's scale, mask add and
 * softmax), and at a small GPT's sizes a kernel costs more in the engine than in its arithmetic.
 * Here each is one pass over the wasm heap: the layer norm in the course's SIMD kernels when C is
 * a multiple of 4, the rest in JavaScript over Float32Array views (as maxPoolGrad.ts). Plain
 * element-wise maps (bias add, ReLU) and the bias gradient (a Sum over rows, wasmSum.ts) are
 * left to the backend's own fast kernels. The maths, for rows of C values:
 *
 *   layer norm   μ = mean(x), σ⁻¹ = 1/√(mean((x − μ)²) + ε), x̂ = (x − μ)·σ⁻¹, y = x̂·g + b
 *                dx = σ⁻¹·(dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)) with dx̂ = dy·g; dg = Σ dy·x̂; db = Σ dy
 *   causal softmax of scores s [.., T, T]: y_ij = exp(a·s_ij − max) / Σ over j ≤ i, 0 for j > i
 *                (softmax(a·s + mask) with mask −1e9 above the diagonal gives exactly these)
 *                ds = a·y·(dy − Σ_j dy·y)
 *
 * Every output is a new tensor; no input is written.
 */
import * as tf from "@tensorflow/tfjs-core";
import { Info } from "./kernelScope";
import { BackendWasmInternals, float32Outputs, heapOffset, registerNewWasmKernels } from "./wasmInternals";
import { SimdKernels, simdKernels } from "./wasmSimd";

export const GPT_KERNELS = {
  layerNorm: "GenaiLayerNorm",
  layerNormGrad: "GenaiLayerNormGrad",
  causalSoftmax: "GenaiCausalSoftmax",
  causalSoftmaxGrad: "GenaiCausalSoftmaxGrad",
} as const;

type Args = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };
type F32 = Float32Array;

/** New float32 outputs and views of inputs and outputs (wasmInternals.ts float32Outputs). */
function prepare(args: Args, inputs: Info[], shapes: number[][]): { outs: Info[]; v: F32[] } {
  return float32Outputs(args.backend as BackendWasmInternals, inputs, shapes, "GPT wasm kernels");
}

/** The SIMD kernels where rows of C values suit them (C a multiple of 4), else null. */
function simdFor(args: Args, C: number): SimdKernels | null {
  return C % 4 === 0 ? simdKernels(args.backend as BackendWasmInternals) : null;
}

/** A tensor's heap byte address, for the SIMD kernels. */
const addressOf = (args: Args) => (t: Info | undefined): number => heapOffset(args.backend as BackendWasmInternals, t!);

/** x [N, C], g [C], b [C] → y [N, C], mean [N], rstd [N]. */
function layerNorm(args: Args): Info[] {
  const { x, g, b } = args.inputs as { x: Info; g: Info; b: Info };
  const eps = (args.attrs as { epsilon: number }).epsilon;
  const C = x.shape[x.shape.length - 1] as number, N = tf.util.sizeFromShape(x.shape) / C;
  const { outs, v: [xv, gv, bv, yv, mv, rv] } = prepare(args, [x, g, b], [x.shape, [N], [N]]);
  const simd = simdFor(args, C);
  if (simd) {
    const at = addressOf(args);
    simd.layerNorm(at(x), at(g), at(b), at(outs[0]), at(outs[1]), at(outs[2]), N, C, eps);
    return outs;
  }
  for (let n = 0, o = 0; n < N; n++, o += C) {
    let sum = 0;
    for (let c = 0; c < C; c++) sum += xv![o + c] as number;
    const mean = Math.fround(sum / C);
    let sq = 0;
    for (let c = 0; c < C; c++) {
      const d = (xv![o + c] as number) - mean;
      sq += d * d;
    }
    const rstd = Math.fround(1 / Math.sqrt(Math.fround(sq / C) + eps));
    mv![n] = mean;
    rv![n] = rstd;
    for (let c = 0; c < C; c++) yv![o + c] = ((xv![o + c] as number) - mean) * rstd * (gv![c] as number) + (bv![c] as number);
  }
  return outs;
}

/** dy, x [N, C], g [C], mean, rstd [N] → dx [N, C], dg [C], db [C]. */
function layerNormGrad(args: Args): Info[] {
  const { dy, x, g, mean, rstd } = args.inputs as { dy: Info; x: Info; g: Info; mean: Info; rstd: Info };
  const C = x.shape[x.shape.length - 1] as number, N = tf.util.sizeFromShape(x.shape) / C;
  const { outs, v: [dyv, xv, gv, mv, rv, dxv, dgv, dbv] } = prepare(args, [dy, x, g, mean, rstd], [x.shape, [C], [C]]);
  const simd = simdFor(args, C);
  if (simd) {
    dgv!.fill(0);
    dbv!.fill(0);
    const at = addressOf(args);
    simd.layerNormGrad(at(dy), at(x), at(g), at(mean), at(rstd), at(outs[0]), at(outs[1]), at(outs[2]), N, C);
    return outs;
  }
  const dg = new Float64Array(C), db = new Float64Array(C);
  for (let n = 0, o = 0; n < N; n++, o += C) {
    const mu = mv![n] as number, r = rv![n] as number;
    let sumD = 0, sumDX = 0;
    for (let c = 0; c < C; c++) {
      const d = dyv![o + c] as number, xh = ((xv![o + c] as number) - mu) * r, dxh = d * (gv![c] as number);
      dg[c]! += d * xh;
      db[c]! += d;
      sumD += dxh;
      sumDX += dxh * xh;
    }
    const meanD = sumD / C, meanDX = sumDX / C;
    for (let c = 0; c < C; c++) {
      const xh = ((xv![o + c] as number) - mu) * r;
      dxv![o + c] = r * ((dyv![o + c] as number) * (gv![c] as number) - meanD - xh * meanDX);
    }
  }
  dgv!.set(dg);
  dbv!.set(db);
  return outs;
}

/** s [..., T, T] → y [..., T, T]: softmax of scale·s over j ≤ i in every row i. */
function causalSoftmax(args: Args): Info {
  const { x } = args.inputs as { x: Info };
  const scale = (args.attrs as { scale: number }).scale;
  const T = x.shape[x.shape.length - 1] as number, rows = tf.util.sizeFromShape(x.shape) / T;
  const { outs, v: [sv, yv] } = prepare(args, [x], [x.shape]);
  for (let r = 0, o = 0; r < rows; r++, o += T) {
    const last = r % T; // this row's query position: keys 0..last are visible
    let max = -Infinity;
    for (let j = 0; j <= last; j++) max = Math.max(max, scale * (sv![o + j] as number));
    let sum = 0;
    for (let j = 0; j <= last; j++) {
      const e = Math.exp(scale * (sv![o + j] as number) - max);
      yv![o + j] = e;
      sum += e;
    }
    for (let j = 0; j <= last; j++) yv![o + j] = (yv![o + j] as number) / sum;
    yv!.fill(0, o + last + 1, o + T);
  }
  return outs[0] as Info;
}

/** dy, y [..., T, T] → ds = scale·y·(dy − Σ_j dy·y). */
function causalSoftmaxGrad(args: Args): Info {
  const { dy, y } = args.inputs as { dy: Info; y: Info };
  const scale = (args.attrs as { scale: number }).scale;
  const T = y.shape[y.shape.length - 1] as number, rows = tf.util.sizeFromShape(y.shape) / T;
  const { outs, v: [dyv, yv, dsv] } = prepare(args, [dy, y], [y.shape]);
  for (let r = 0, o = 0; r < rows; r++, o += T) {
    let dot = 0;
    for (let j = 0; j < T; j++) dot += (dyv![o + j] as number) * (yv![o + j] as number);
    for (let j = 0; j < T; j++) dsv![o + j] = scale * (yv![o + j] as number) * ((dyv![o + j] as number) - dot);
  }
  return outs[0] as Info;
}

const KERNELS: ReadonlyArray<[string, (args: Args) => Info | Info[]]> = [
  [GPT_KERNELS.layerNorm, layerNorm],
  [GPT_KERNELS.layerNormGrad, layerNormGrad],
  [GPT_KERNELS.causalSoftmax, causalSoftmax],
  [GPT_KERNELS.causalSoftmaxGrad, causalSoftmaxGrad],
];

/** Register the kernels for 'wasm' once (new kernel names: no tfjs kernel is replaced). */
export function registerGptKernelsWasm(): void {
  registerNewWasmKernels(KERNELS);
}
