/**
 * The wasm backend's speed work, switchable as a whole:
 *
 *   BatchMatMul, _FusedMatMul  transposed and batched products on XNNPACK (wasmMatMul.ts)
 *   Conv2DBackpropInput        conv input gradient / conv2dTranspose on XNNPACK (convInputGrad.ts)
 *   Slice, Unpack, SplitV      copy only the slice, not the whole input per piece (wasmSlice.ts)
 *   Transpose                  merged axes; rank > 4 in runs, not per element (wasmTranspose.ts)
 *   GatherV2                   one copy per gathered row, not per value (wasmGather.ts)
 *   DepthToSpace               one transpose instead of a per-element loop (wasmDepthToSpace.ts)
 *   MaxPoolGrad                one pass on the heap, not the cpu backend's kernel (maxPoolGrad.ts)
 *   Conv2DBackpropFilter       im2col + one XNNPACK product for few input channels
 *                              (convFilterGradGemm.ts); a SIMD kernel for one (conv1.ts)
 *   Conv2D                     a SIMD kernel for small ones of one input channel (conv1.ts)
 *   Tile's gradient            one reduction instead of a slice + add per tile (tileGrad.ts)
 *   LeakyRelu and its gradient x·step(x, α) and dy·step(x, α) on tfjs's fast element-wise
 *                              kernels instead of scalar loops (wasmLeakyRelu.ts)
 *   Identity, Cast to the same dtype  share the data instead of copying it (wasmAlias.ts)
 *   Exp                        four values at a time in SIMD, not the scalar expf (wasmExp.ts)
 *   Sum over leading axes      one pass over the rows, not a stock transpose + sum (wasmSum.ts)
 *   CourseLstmForward/Backward a whole LSTM layer per direction, for lstmSequence (wasmLstm*.ts)
 *   GenaiAdamUpdate, GenaiLayerNorm(Grad), GenaiCausalSoftmax(Grad): fused Adam and
 *                              GPT pieces, new kernels that fused/adam.ts and fused/gpt.ts call only
 *                              while fusedWasmActive() (wasmAdam.ts, wasmGpt.ts)
 *   GenaiNormStats, GenaiNormGradSums: the reductions of group and batch norm, new kernels that
 *                              fused/norm.ts calls on the same condition (wasmNorm.ts), and
 *                              GenaiNormApply, GenaiNormBackDz, GenaiNormDx: their element-wise
 *                              passes, SiLU included, in SIMD (wasmNormApply.ts)
 *   threads                    only large convolutions and products get the thread pool
 *                              (wasmThreadGate.ts; wasmThreads.ts starts the threads)
 *
 * GENAI_WASM_SPEEDUPS=0 leaves all of them out: wasm then runs tfjs's own kernels plus only the
 * missing and corrected ones of wasmKernels.ts ("wasm-stock", the baseline of the benchmarks).
 * setWasmSpeedups() switches at run time, e.g. to time both in one process; wasm threads are
 * decided when the backend starts and are not switched by it.
 */
import * as tf from "@tensorflow/tfjs-core";
import { makeCastWasm, makeIdentityWasm } from "./wasmAlias";
import { makeExpWasm } from "./wasmExp";
import { makeConv2DWasm } from "./conv1";
import { makeConv2DBackpropFilterWasm } from "./convFilterGradGemm";
import { makeConv2DBackpropInputWasm } from "./convInputGrad";
import { makeMaxPoolGradWasm } from "./maxPoolGrad";
import { installTileGradient, restoreTileGradient } from "./tileGrad";
import { makeDepthToSpaceWasm } from "./wasmDepthToSpace";
import { makeGatherV2Wasm } from "./wasmGather";
import { leakyReluGradient, makeLeakyReluWasm } from "./wasmLeakyRelu";
import { makeBatchMatMulWasm, makeFusedMatMulWasm } from "./wasmMatMul";
import { makeSliceWasm, makeSplitVWasm, makeUnpackWasm } from "./wasmSlice";
import { makeSumWasm } from "./wasmSum";
import { registerWasmTrainingKernels } from "./wasmKernels";
import { registerAdamUpdateWasm } from "./wasmAdam";
import { registerGptKernelsWasm } from "./wasmGpt";
import { setWasmLstmKernels } from "./wasmLstm";
import { registerNormKernelsWasm } from "./wasmNorm";
import { registerNormApplyKernelsWasm } from "./wasmNormApply";
import { gateKernel } from "./wasmThreadGate";
import { makeTransposeWasm } from "./wasmTranspose";

type Maker = (original: tf.KernelFunc) => tf.KernelFunc;

const FAST: ReadonlyArray<[string, Maker]> = [
  [tf.BatchMatMul, makeBatchMatMulWasm],
  [tf._FusedMatMul, makeFusedMatMulWasm],
  [tf.Conv2DBackpropInput, makeConv2DBackpropInputWasm],
  [tf.Slice, makeSliceWasm],
  [tf.Unpack, makeUnpackWasm],
  [tf.SplitV, makeSplitVWasm],
  [tf.Transpose, makeTransposeWasm],
  [tf.GatherV2, makeGatherV2Wasm],
  [tf.DepthToSpace, makeDepthToSpaceWasm],
  [tf.MaxPoolGrad, makeMaxPoolGradWasm],
  [tf.Conv2DBackpropFilter, makeConv2DBackpropFilterWasm],
  [tf.Sum, makeSumWasm],
  [tf.LeakyRelu, makeLeakyReluWasm],
  [tf.Identity, makeIdentityWasm],
  [tf.Cast, makeCastWasm],
  [tf.Exp, makeExpWasm],
  [tf.Conv2D, makeConv2DWasm],
  // tfjs's own kernel, listed so that the thread gate (wasmThreadGate.ts) wraps it too
  [tf.FusedConv2D, (original) => original],
];

/** Per kernel: the configuration found before the first switch-on, and its fast version. */
const configs = new Map<string, { stock: tf.KernelConfig; fast: tf.KernelConfig }>();
let enabled = false;

/** Whether the environment asks for the speed work: anything but GENAI_WASM_SPEEDUPS=0. */
export function wasmSpeedupsRequested(): boolean {
  return (process.env.GENAI_WASM_SPEEDUPS ?? "").trim() !== "0";
}

/** Whether the fast kernels are registered for 'wasm' now. */
export function wasmSpeedupsEnabled(): boolean {
  return enabled;
}

function replace(config: tf.KernelConfig): void {
  tf.unregisterKernel(config.kernelName, config.backendName);
  tf.registerKernel(config);
}

/**
 * Register (true) or remove (false) the fast kernels and the Tile gradient for 'wasm'.
 * Idempotent; the kernels' setup (cwrap) is kept, so switching needs no backend restart.
 */
export function setWasmSpeedups(on: boolean): void {
  registerWasmTrainingKernels(); // so that "stock" includes the missing and corrected kernels
  for (const [name, make] of FAST) {
    const current = tf.getKernel(name, "wasm");
    if (!current) continue;
    let entry = configs.get(name);
    if (!entry) {
      if (!on) continue;
      entry = { stock: current, fast: { ...current, kernelFunc: gateKernel(name, make(current.kernelFunc)) } };
      configs.set(name, entry);
    }
    const want = on ? entry.fast : entry.stock;
    if (current !== want) replace(want);
  }
  if (on) {
    installTileGradient();
    leakyReluGradient.install();
  } else {
    restoreTileGradient();
    leakyReluGradient.restore();
  }
  setWasmLstmKernels(on); // the fused LSTM layer of fused/lstm.ts (wasmLstm.ts)
  if (on) {
    // New kernel names, dispatched only while fusedWasmActive(): registering them once is enough.
    registerAdamUpdateWasm();
    registerGptKernelsWasm();
    registerNormKernelsWasm();
    registerNormApplyKernelsWasm();
  }
  enabled = on;
}

/**
 * Whether the fused layers (LSTM, GPT pieces, norms, Adam) run now: on the wasm backend with its
 * speed work on, unless GENAI_WASM_FUSED=0 (to time them against the compositions in one
 * sitting; read at every call).
 */
export function fusedWasmActive(): boolean {
  return tf.getBackend() === "wasm" && enabled && (process.env.GENAI_WASM_FUSED ?? "").trim() !== "0";
}
