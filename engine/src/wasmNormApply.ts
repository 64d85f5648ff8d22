/**
 * The element-wise passes of group and batch norm (optionally followed by SiLU) as single SIMD
 * kernels (engine/wasm/norm.wat), around wasmNorm.ts's reductions. With x viewed as [n, S, C] and the
 * per-channel shift, scale, offset (forward) and P, Q, R (backward) of wasmNorm.ts, all [n, C]:
 *
 *   GenaiNormApply   z = (x − shift)·scale + offset
 *   GenaiNormBackDz  xs = x − shift and, after a SiLU y = z·g with g = σ(z), dz = dy·g·(1 + z·(1 − g))
 *   GenaiNormDx      dx = dz·P + xs·Q + R
 *
 * Each is one pass over the values where tfjs's element-wise kernels took three to five (sub,
 * mul and add forward; five for dz; two muls and two adds for dx), each with its own pass and
 * engine bookkeeping. The SiLU's σ stays XNNPACK's sigmoid, ~5× faster than a SIMD exp here.
 * They need C to be a multiple of 4 and the SIMD kernels loaded (normApplyAvailable);
 * fused/norm.ts keeps tfjs's kernels otherwise.
 */
import * as tf from "@tensorflow/tfjs-core";
import { Info } from "./kernelScope";
import { BackendWasmInternals, heapOffset, isWasmBackend, registerNewWasmKernels } from "./wasmInternals";
import { simdKernels } from "./wasmSimd";

export const NORM_APPLY_KERNELS = { apply: "GenaiNormApply", backDz: "GenaiNormBackDz", dx: "GenaiNormDx" } as const;

/** The kernels' attributes: x is n slices of C channels; silu: whether a SiLU follows (GenaiNormBackDz). */
export interface NormApplyAttrs {
  n: number;
  silu: boolean;
}

type Args = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };

/** Whether the kernels run for C channels on the current backend. */
export function normApplyAvailable(C: number): boolean {
  const backend = tf.backend();
  return C % 4 === 0 && isWasmBackend(backend) && simdKernels(backend as BackendWasmInternals) !== null;
}

/** The backend, its SIMD kernels, [n, S, C] of `x`, new float32 outputs shaped like x, and heap addresses. */
function prepare(args: Args, x: Info, outputs: number) {
  const backend = args.backend as BackendWasmInternals;
  const simd = simdKernels(backend);
  if (!simd) throw new Error("norm wasm kernels: the SIMD kernels did not load");
  const { n } = args.attrs as unknown as NormApplyAttrs;
  const C = x.shape[x.shape.length - 1] as number;
  const S = tf.util.sizeFromShape(x.shape) / (n * C);
  const outs = Array.from({ length: outputs }, () => backend.makeOutput(x.shape, "float32"));
  return { simd, n, S, C, outs, at: (t: Info | undefined) => heapOffset(backend, t!) };
}

function normApply(args: Args): Info {
  const { x, shift, scale, offset } = args.inputs as Record<string, Info>;
  const { simd, n, S, C, outs: [z], at } = prepare(args, x!, 1);
  simd.normApply(at(x), at(shift), at(scale), at(offset), at(z), n, S, C);
  return z!;
}

/** dy, x, shift, and after a SiLU its z and g = σ(z) → [xs] without a SiLU (dz is dy), [dz, xs] after one. */
function normBackDz(args: Args): Info[] {
  const { dy, x, shift, z, g } = args.inputs as Record<string, Info>;
  const { silu } = args.attrs as unknown as NormApplyAttrs;
  const { simd, n, S, C, outs, at } = prepare(args, x!, silu ? 2 : 1);
  const [dz, xs] = silu ? outs : [dy, outs[0]];
  simd.normBackDz(at(dy), at(x), at(shift), silu ? at(z) : 0, silu ? at(g) : 0, at(dz), at(xs), n, S, C, silu ? 1 : 0);
  return outs;
}

function normDx(args: Args): Info {
  const { dz, xs, p, q, r } = args.inputs as Record<string, Info>;
  const { simd, n, S, C, outs: [dx], at } = prepare(args, xs!, 1);
  simd.normDx(at(dz), at(xs), at(p), at(q), at(r), at(dx), n, S, C);
  return dx!;
}

/** Register the kernels for 'wasm' once (new kernel names: no tfjs kernel is replaced). */
export function registerNormApplyKernelsWasm(): void {
  registerNewWasmKernels([
    [NORM_APPLY_KERNELS.apply, normApply], [NORM_APPLY_KERNELS.backDz, normBackDz], [NORM_APPLY_KERNELS.dx, normDx],
  ]);
}
