/**
 * The reductions of group and batch normalisation as wasm kernels on the heap: one pass for the
 * statistics (forward), one for the gradient's sums (backward), in JavaScript over Float32Array
 * views of the wasm heap (as maxPoolGrad.ts), in float64. Composed from tfjs ops a group norm is
 * ~10 kernels forward (a reshape to [N, H, W, G, C/G], moments over three axes, sub, rsqrt, muls,
 * an add) and ~30 backward, many of them passes over 5-D broadcasts; the element-wise maps that
 * remain (x·scale + offset, dz, dx) are SIMD passes of their own (wasmNormApply.ts) or, where C
 * is not a multiple of 4, tfjs's kernels; the SiLU's σ stays XNNPACK's sigmoid (Math.exp in a
 * loop costs 5× a whole norm). fused/norm.ts puts them together.
 *
 * Both norms are one kernel pair: x viewed as [N, S, C] with C channels in G groups, statistics
 * per slice n and group g over cnt = S·C/G values. Group norm of [N, H, W, C]: S = H·W. Batch
 * norm of [..., C]: N = 1, S = all the rows, G = C. With K a value of the group (its first):
 *
 *   forward   μ = mean(x), σ⁻¹ = 1/√(mean((x − μ)²) + ε) from sums of x − K and its squares
 *             (no cancellation), and per channel shift = K, scale = σ⁻¹·γ, offset = β − (μ − K)·scale,
 *             so that z = (x − K)·scale + offset = (x − μ)·σ⁻¹·γ + β without large terms
 *   backward  from dz and xs = x − K: dβ = Σ dz, dγ = Σ dz·x̂ with x̂ = (x − μ)·σ⁻¹, and
 *             dx = σ⁻¹·(dz·γ − mean_g(dz·γ) − x̂·mean_g(dz·γ·x̂)) = dz·P + xs·Q + R per channel
 *
 * The per-channel sums over a slice's rows, the bulk of the work, run in the course's SIMD
 * kernels (engine/wasm/kernels.wat, float64 two channels at a time) when C is even and they loaded;
 * the JavaScript loops below are the reference and the fallback.
 *
 * Every output is a new tensor; no input is written.
 */
import * as tf from "@tensorflow/tfjs-core";
import { Info } from "./kernelScope";
import { BackendWasmInternals, float32Outputs, heapOffset, registerNewWasmKernels } from "./wasmInternals";
import { F64Scratch, SimdKernels, f64Scratch } from "./wasmSimd";

export const NORM_KERNELS = { stats: "GenaiNormStats", gradSums: "GenaiNormGradSums" } as const;

/** The kernels' attributes: x is [n, S, C] with C channels in `groups` groups. */
export interface NormAttrs {
  n: number;
  groups: number;
  epsilon: number;
}

type Args = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };
type F32 = Float32Array;
type F64 = Float64Array;

/** New float32 outputs and views of inputs and outputs (wasmInternals.ts float32Outputs). */
function prepare(args: Args, inputs: Info[], shapes: number[][]): { outs: Info[]; v: F32[] } {
  return float32Outputs(args.backend as BackendWasmInternals, inputs, shapes, "norm wasm kernels");
}

/** Sizes of x viewed as [n, S, C] in groups of Cg channels. */
function dims(x: Info, a: NormAttrs): { S: number; C: number; Cg: number } {
  const C = x.shape[x.shape.length - 1] as number;
  return { S: tf.util.sizeFromShape(x.shape) / (a.n * C), C, Cg: C / a.groups };
}

/** Heap scratch of three float64 arrays of C (shift, then two sums) for the SIMD kernels, or null. */
type SimdSums = F64Scratch & { simd: SimdKernels };

function simdSums(backend: BackendWasmInternals, C: number): SimdSums | null {
  return C % 2 === 0 ? f64Scratch(backend, 3 * C) : null;
}

/** The scratch's three arrays of C. */
const thirds = (fast: SimdSums, C: number): F64[] => {
  const all = fast.view();
  return [0, 1, 2].map((i) => all.subarray(i * C, (i + 1) * C));
};

/** Per channel of x's slice at `base`: Σ (x − shift) and Σ (x − shift)². */
function shiftedSums(xv: F32, shift: F64, base: number, S: number, C: number): { s1: F64; s2: F64 } {
  const s1 = new Float64Array(C), s2 = new Float64Array(C);
  for (let s = 0, o = base; s < S; s++, o += C) {
    for (let c = 0; c < C; c++) {
      const d = (xv[o + c] as number) - (shift[c] as number);
      s1[c]! += d;
      s2[c]! += d * d;
    }
  }
  return { s1, s2 };
}

/** Σ (x − shift) and Σ (x − shift)² per channel of the slice at element `base`, by SIMD or JavaScript. */
function statSums(fast: SimdSums | null, backend: BackendWasmInternals, x: Info, xv: F32, S: number, C: number) {
  if (!fast) return (base: number, shift: F64) => shiftedSums(xv, shift, base, S, C);
  const [k, s1, s2] = thirds(fast, C) as [F64, F64, F64], xAt = heapOffset(backend, x);
  return (base: number, shift: F64) => {
    k.set(shift);
    s1.fill(0);
    s2.fill(0);
    fast.simd.normSums(xAt + 4 * base, fast.at, fast.at + 8 * C, fast.at + 16 * C, S, C);
    return { s1, s2 };
  };
}

/** x [..., C], gamma, beta [C] → shift, scale, offset [n, C], mean [n·groups] (as μ − K), rstd [n·groups]. */
function normStats(args: Args): Info[] {
  const { x, gamma, beta } = args.inputs as { x: Info; gamma: Info; beta: Info };
  const a = args.attrs as unknown as NormAttrs;
  const { S, C, Cg } = dims(x, a), G = a.groups, cnt = S * Cg;
  const perChannel = [a.n, C], perGroup = [a.n * G];
  const backend = args.backend as BackendWasmInternals;
  const fast = simdSums(backend, C);
  try {
    const { outs, v: [xv, gv, bv, kv, sv, ov, mv, rv] } = prepare(args, [x, gamma, beta], [perChannel, perChannel, perChannel, perGroup, perGroup]);
    const sums = statSums(fast, backend, x, xv!, S, C);
    const shift = new Float64Array(C);
    for (let n = 0; n < a.n; n++) {
      const base = n * S * C;
      for (let c = 0; c < C; c++) shift[c] = xv![base + c - (c % Cg)] as number;
      const { s1, s2 } = sums(base, shift);
      for (let g = 0; g < G; g++) {
        let t1 = 0, t2 = 0;
        for (let c = g * Cg; c < (g + 1) * Cg; c++) {
          t1 += s1[c] as number;
          t2 += s2[c] as number;
        }
        const m = t1 / cnt, rs = 1 / Math.sqrt(Math.max(t2 / cnt - m * m, 0) + a.epsilon);
        mv![n * G + g] = m;
        rv![n * G + g] = rs;
        for (let c = g * Cg; c < (g + 1) * Cg; c++) {
          const scale = rs * (gv![c] as number);
          kv![n * C + c] = shift[c] as number;
          sv![n * C + c] = scale;
          ov![n * C + c] = (bv![c] as number) - m * scale;
        }
      }
    }
    return outs;
  } finally {
    fast?.free();
  }
}

/** Per channel of the slice at `base`: Σ dz and Σ dz·xs. */
function gradSums(dzv: F32, xsv: F32, base: number, S: number, C: number): { sumD: F64; sumDX: F64 } {
  const sumD = new Float64Array(C), sumDX = new Float64Array(C);
  for (let s = 0, o = base; s < S; s++, o += C) {
    for (let c = 0; c < C; c++) {
      const d = dzv[o + c] as number;
      sumD[c]! += d;
      sumDX[c]! += d * (xsv[o + c] as number);
    }
  }
  return { sumD, sumDX };
}

/** Σ dz and Σ dz·xs per channel of the slice at element `base`, by SIMD or JavaScript. */
function dzSums(fast: SimdSums | null, backend: BackendWasmInternals, dz: Info, xs: Info, dzv: F32, xsv: F32, S: number, C: number) {
  if (!fast) return (base: number) => gradSums(dzv, xsv, base, S, C);
  const [, sumD, sumDX] = thirds(fast, C) as [F64, F64, F64], dzAt = heapOffset(backend, dz), xsAt = heapOffset(backend, xs);
  return (base: number) => {
    sumD.fill(0);
    sumDX.fill(0);
    fast.simd.normGradSums(dzAt + 4 * base, xsAt + 4 * base, fast.at + 8 * C, fast.at + 16 * C, S, C);
    return { sumD, sumDX };
  };
}

/** dz, xs = x − shift [..., C], gamma [C], mean (μ − K), rstd [n·groups] → P, Q, R [n, C], dgamma, dbeta [C]. */
function normGradSums(args: Args): Info[] {
  const backend = args.backend as BackendWasmInternals;
  const { xs } = args.inputs as Record<string, Info>;
  const fast = simdSums(backend, xs!.shape[xs!.shape.length - 1] as number);
  try {
    return gradsWith(args, fast);
  } finally {
    fast?.free();
  }
}

function gradsWith(args: Args, fast: SimdSums | null): Info[] {
  const { dz, xs, gamma, mean, rstd } = args.inputs as Record<string, Info>;
  const a = args.attrs as unknown as NormAttrs;
  const { S, C, Cg } = dims(xs!, a), G = a.groups, cnt = S * Cg;
  const perChannel = [a.n, C];
  const { outs, v: [dzv, xsv, gv, mv, rv, pv, qv, rrv, dgv, dbv] } = prepare(args, [dz!, xs!, gamma!, mean!, rstd!], [perChannel, perChannel, perChannel, [C], [C]]);
  const sums = dzSums(fast, args.backend as BackendWasmInternals, dz!, xs!, dzv!, xsv!, S, C);
  const dg = new Float64Array(C), db = new Float64Array(C);
  for (let n = 0; n < a.n; n++) {
    const { sumD, sumDX } = sums(n * S * C);
    for (let g = 0; g < G; g++) {
      const m = mv![n * G + g] as number, rs = rv![n * G + g] as number;
      let m1 = 0, m2 = 0;
      for (let c = g * Cg; c < (g + 1) * Cg; c++) {
        const dxc = (sumDX[c] as number) - m * (sumD[c] as number); // Σ dz·(x − μ)
        dg[c]! += rs * dxc;
        db[c]! += sumD[c] as number;
        m1 += (gv![c] as number) * (sumD[c] as number);
        m2 += (gv![c] as number) * dxc;
      }
      m1 /= cnt;
      m2 *= rs / cnt; // mean of dz·γ·x̂
      const one = cnt === 1 ? 0 : 1; // one value per group: x̂ = 0 and dx = 0 exactly (no float32 residue)
      for (let c = g * Cg; c < (g + 1) * Cg; c++) {
        pv![n * C + c] = one * rs * (gv![c] as number);
        qv![n * C + c] = -one * rs * rs * m2;
        rrv![n * C + c] = one * rs * (rs * m2 * m - m1); // −σ⁻²·m2·(K − μ) − σ⁻¹·m1
      }
    }
  }
  dgv!.set(dg);
  dbv!.set(db);
  return outs;
}

/** Register the kernels for 'wasm' once (new kernel names: no tfjs kernel is replaced). */
export function registerNormKernelsWasm(): void {
  registerNewWasmKernels([[NORM_KERNELS.stats, normStats], [NORM_KERNELS.gradSums, normGradSums]]);
}
