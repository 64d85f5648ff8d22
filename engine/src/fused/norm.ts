/**
 * Group norm and batch norm (optionally followed by SiLU) for the wasm backend through
 * tf.customGrad: one reduction kernel each way on the wasm heap (statistics forward, the
 * gradient's sums backward; wasmNorm.ts, float64) plus the element-wise passes: one SIMD
 * kernel each (wasmNormApply.ts) where the channels are a multiple of 4, else a few of
 * tfjs's element-wise kernels (x·scale + offset, sigmoid).
 * They give the values and gradients of the library's plain norms (nn/norm.ts), which the
 * course's seam (lib/src/seam.ts) runs whenever fusedGroupNormApplies / fusedBatchNormApplies
 * say no: any backend but wasm, GENAI_WASM_SPEEDUPS=0, GENAI_WASM_FUSED=0 or
 * GENAI_WASM_FUSED_NORM=0, or a tensor that is not float32.
 */
import * as tf from "@tensorflow/tfjs-core";
import { NORM_KERNELS, type NormAttrs } from "../wasmNorm";
import { NORM_APPLY_KERNELS, normApplyAvailable } from "../wasmNormApply";
import { fusedWasmActive } from "../wasmSpeedups";
import { EngineError, assertShape } from "../errors";
import { type Save, customOp, runKernel } from "./custom-op";

const EPSILON = 1e-5;

/**
 * Whether the fused norms run now: the wasm backend with its speed work on, GENAI_WASM_FUSED ≠ 0
 * and GENAI_WASM_FUSED_NORM ≠ 0 (which leaves only the norms composed, e.g. to time them alone).
 */
export function fusedNormActive(): boolean {
  return fusedWasmActive() && (process.env.GENAI_WASM_FUSED_NORM ?? "").trim() !== "0";
}

type Attrs = NormAttrs & { silu: boolean };
type NormOp = (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => tf.Tensor;
const run = (name: string, inputs: Record<string, tf.Tensor>, attrs: NormAttrs): tf.Tensor[] =>
  runKernel(name, inputs, attrs) as tf.Tensor[];

/** [n, C] per-channel values, reshaped to broadcast against x: [n, 1, …, 1, C]. */
const perChannel = (t: tf.Tensor, rank: number): tf.Tensor =>
  tf.reshape(t, [t.shape[0]!, ...Array(rank - 2).fill(1), t.shape[1]!]); // [n, 1, …, 1, C]

/** The gradient: dz (through the SiLU if any), the sums kernel, then dx = dz·P + xs·Q + R on tfjs's kernels. */
function normGrad(attrs: Attrs, dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] {
  return tf.tidy(() => {
    const [xs, gamma, mean, rstd, z, sig] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor?, tf.Tensor?];
    // d(z·s)/dz = s·(1 + z·(1 − s))
    const dz = z && sig ? tf.mul(dy, tf.mul(sig, tf.add(1, tf.mul(z, tf.sub(1, sig))))) : dy;
    const [p, q, r, dgamma, dbeta] = run(NORM_KERNELS.gradSums, { dz, xs, gamma, mean, rstd }, attrs).map((t, i) => (i < 3 ? perChannel(t, xs.rank) : t));
    return [tf.add(tf.add(tf.mul(dz, p!), tf.mul(xs, q!)), r!), dgamma!, dbeta!];
  });
}

/**
 * The gradient with the element-wise passes in SIMD (backend/wasmNormApply.ts): xs and dz in one
 * pass, the sums kernel, dx in one pass.
 */
function normGradSimd(attrs: Attrs, dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] {
  return tf.tidy(() => {
    const [x, gamma, mean, rstd, shift, z, g] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor?, tf.Tensor?];
    const apply = { n: attrs.n, silu: attrs.silu };
    const inputs: Record<string, tf.Tensor> = z && g ? { dy, x, shift, z, g } : { dy, x, shift };
    const outs = runKernel(NORM_APPLY_KERNELS.backDz, inputs, apply) as tf.Tensor[];
    const [dz, xs] = attrs.silu ? (outs as [tf.Tensor, tf.Tensor]) : [dy, outs[0] as tf.Tensor];
    const [p, q, r, dgamma, dbeta] = run(NORM_KERNELS.gradSums, { dz, xs, gamma, mean, rstd }, attrs);
    const dx = runKernel(NORM_APPLY_KERNELS.dx, { dz, xs, p: p!, q: q!, r: r! }, apply) as tf.Tensor;
    return [dx, dgamma!, dbeta!];
  });
}

const ops = new Map<string, NormOp>();
/** The fused norm for these attributes, one tf.customGrad per distinct attribute set. */
function normOp(attrs: Attrs, simd: boolean): NormOp {
  const key = JSON.stringify(attrs) + (simd ? " simd" : "");
  let op = ops.get(key);
  if (!op) {
    op = customOp((...args) => {
      const [x, gamma, beta, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, Save];
      const [shift, scale, offset, mean, rstd] = run(NORM_KERNELS.stats, { x, gamma, beta }, attrs);
      if (simd) {
        const z = runKernel(NORM_APPLY_KERNELS.apply, { x, shift: shift!, scale: scale!, offset: offset! }, { n: attrs.n }) as tf.Tensor;
        const g = attrs.silu ? tf.sigmoid(z) : null;
        save(g ? [x, gamma, mean!, rstd!, shift!, z, g] : [x, gamma, mean!, rstd!, shift!]);
        return { value: g ? tf.mul(z, g) : z, gradFunc: (dy, saved) => normGradSimd(attrs, dy, saved) };
      }
      const xs = tf.sub(x, perChannel(shift!, x.rank)); // x − K: exact near K, so no large terms below
      const z = tf.add(tf.mul(xs, perChannel(scale!, x.rank)), perChannel(offset!, x.rank)); // the norm
      const sig = attrs.silu ? tf.sigmoid(z) : null;
      save(sig ? [xs, gamma, mean!, rstd!, z, sig] : [xs, gamma, mean!, rstd!]);
      return { value: sig ? tf.mul(z, sig) : z, gradFunc: (dy, saved) => normGrad(attrs, dy, saved) };
    });
    ops.set(key, op);
  }
  return op;
}

function checkAffine(c: number, gamma: tf.Tensor1D, beta: tf.Tensor1D, what: string): void {
  assertShape(gamma.shape, [c], `${what} gain`);
  assertShape(beta.shape, [c], `${what} shift`);
}

/** Whether fusedGroupNorm runs for x now: the fused norms are on and x is float32. */
export function fusedGroupNormApplies(x: tf.Tensor): boolean {
  return fusedNormActive() && x.dtype === "float32";
}

/** Whether fusedBatchNorm runs for x now: the fused norms are on, x is float32 of rank ≥ 2. */
export function fusedBatchNormApplies(x: tf.Tensor): boolean {
  return fusedNormActive() && x.dtype === "float32" && x.rank >= 2;
}

/** Group norm (then SiLU if `silu`) as fused kernels.  x: [N, H, W, C] → [N, H, W, C] */
export function fusedGroupNorm(x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D, groups: number, silu = false): tf.Tensor4D {
  const c = x.shape[3];
  if (!Number.isInteger(groups) || groups < 1 || c % groups !== 0) {
    throw new EngineError(`group norm: ${c} channels do not split into ${groups} groups; use a group count that divides the channels`);
  }
  checkAffine(c, gamma, beta, "group norm");
  return normOp({ n: x.shape[0], groups, epsilon: EPSILON, silu }, normApplyAvailable(c))(x, gamma, beta) as tf.Tensor4D;
}

/** Batch norm with batch statistics (no running averages) as fused kernels.  x: [..., C] → [..., C] */
export function fusedBatchNorm<T extends tf.Tensor>(x: T, gamma: tf.Tensor1D, beta: tf.Tensor1D): T {
  const c = x.shape[x.rank - 1] as number;
  checkAffine(c, gamma, beta, "batch norm");
  return normOp({ n: 1, groups: c, epsilon: EPSILON, silu: false }, normApplyAvailable(c))(x, gamma, beta) as T;
}
