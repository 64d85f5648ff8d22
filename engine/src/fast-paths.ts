/**
 * What the engine offers the course's seam (lib/src/seam.ts): for each function name, the fast
 * version and when it may run. `applies` is asked at every call, with the call's arguments, so
 * that switching backend (tf.setBackend) or setting GENAI_WASM_FUSED=0 takes effect at once;
 * where it says no, the seam runs the library's plain function.
 */
import * as tf from "@tensorflow/tfjs-core";
import { type VariableGradients, fusedAdamApply } from "./fused/adam";
import { type BlockParams, fastGptBlock, fusedLayerNorm } from "./fused/gpt";
import { type LstmState, fusedLstmUnroll } from "./fused/lstm";
import { fusedBatchNorm, fusedBatchNormApplies, fusedGroupNorm, fusedGroupNormApplies } from "./fused/norm";
import { fusedWasmActive } from "./wasmSpeedups";

/** A fast version of a function and the test of when it may replace the plain one. */
export interface FastPath<F extends (...args: never[]) => unknown> {
  run: F;
  applies: (...args: Parameters<F>) => boolean;
}

const path = <F extends (...args: never[]) => unknown>(run: F, applies: (...args: Parameters<F>) => boolean): FastPath<F> => ({ run, applies });
const whenFused = (): boolean => fusedWasmActive();
type T1 = tf.Tensor1D;

export const FAST_PATHS = {
  gptBlock: path((p: BlockParams, x: tf.Tensor3D, heads: number) => fastGptBlock(p, x, heads), whenFused),
  layerNorm: path((x: tf.Tensor2D, g: T1, b: T1) => fusedLayerNorm(x, g, b), whenFused),
  lstmUnroll: path(
    (p: { W: tf.Tensor2D; b: T1 }, emb: tf.Tensor3D, state: LstmState) => fusedLstmUnroll(p, emb, state),
    (_p, emb) => fusedWasmActive() && emb.size > 0,
  ),
  groupNorm: path((x: tf.Tensor4D, g: T1, b: T1, groups: number) => fusedGroupNorm(x, g, b, groups), fusedGroupNormApplies),
  groupNormSilu: path((x: tf.Tensor4D, g: T1, b: T1, groups: number) => fusedGroupNorm(x, g, b, groups, true), fusedGroupNormApplies),
  batchNorm: path(<T extends tf.Tensor>(x: T, g: T1, b: T1) => fusedBatchNorm(x, g, b), fusedBatchNormApplies),
  adamApply: path((opt: tf.AdamOptimizer, grads: VariableGradients) => fusedAdamApply(opt, grads), whenFused),
};
