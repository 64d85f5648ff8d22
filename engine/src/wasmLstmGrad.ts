/**
 * The LSTM layer backward as one wasm kernel: backpropagation through time over what the
 * forward kernel (wasmLstm.ts) kept.
 *
 *   CourseLstmBackward  dy [B, T + 1, H] (dh of every step, then dc of the last), Wh [H, 4H],
 *                       h0, c0 [B, H], hsT [T, B, H], acts [T, B, 6H] = [i | f | g | o | tanh c' | c']
 *                       → dxz [B, T, 4H], dWh [H, 4H], dh0 [B, H], dc0 [B, H]
 *
 * From the last step back, with dh = dy[:, t] + dz_{t+1}·Whᵀ and dc from step t + 1:
 *   dc += dh·o·(1 − tanh²c')     dz_i = dc·g·i(1 − i)      dz_f = dc·c·f(1 − f)
 *   dz_g = dc·i·(1 − g²)         dz_o = dh·tanh c'·o(1 − o)      dc_prev = dc·f
 * (the course's SIMD kernel when H is a multiple of 4, else a JavaScript loop over the heap),
 * then dz·Whᵀ on XNNPACK with Whᵀ transposed once, so
 * XNNPACK packs it once, not per step. After the loop dWh = Σ_t h_{t−1}ᵀ·dz_t is one
 * [H, B·T] × [B·T, 4H] product against dxz itself.
 */
import * as tf from "@tensorflow/tfjs-core";
import { Info, KernelScope } from "./kernelScope";
import { xnnMatMul } from "./wasmMatMul";
import { BackendWasmInternals, heapId, heapOffset } from "./wasmInternals";
import { SimdKernels, simdKernels } from "./wasmSimd";

export const LSTM_BACKWARD = "CourseLstmBackward";

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: tf.NamedAttrMap };

/** The whole heap as floats; take it again after every call into C++ (the heap may grow). */
export const heapFloats = (backend: BackendWasmInternals): Float32Array =>
  new Float32Array(backend.wasm.HEAPU8.buffer);

/** Where `info`'s values start in heapFloats(). */
export const floatAt = (backend: BackendWasmInternals, info: Info): number => heapOffset(backend, info) / 4;

export function checkFloat32(kernel: string, infos: Info[]): void {
  for (const info of infos) {
    if (info.dtype !== "float32") {
      throw new Error(`${kernel} takes float32 tensors, got ${info.dtype}: cast the inputs first`);
    }
  }
}

/** Float offsets of the backward kernel's buffers, and the sizes. */
interface Bwd {
  B: number; T: number; H: number;
  dy: number; c0: number; h0: number; hsT: number; acts: number;
  dxz: number; dz: number; dhRec: number; hPrevT: number;
}

/** Step t backwards: dz into dz (this step's) and dxz[:, t]; dc (JavaScript memory) becomes dc_prev. */
function stepBack(F: Float32Array, o: Bwd, t: number, dc: Float32Array): void {
  const { B, T, H } = o;
  const last = t === T - 1;
  for (let b = 0; b < B; b++) {
    const a = o.acts + (t * B + b) * 6 * H, dy = o.dy + (b * (T + 1) + t) * H;
    const dyc = o.dy + (b * (T + 1) + T) * H, rec = o.dhRec + b * H;
    const c = t === 0 ? o.c0 + b * H : o.acts + ((t - 1) * B + b) * 6 * H + 5 * H;
    const zT = o.dz + b * 4 * H, zx = o.dxz + (b * T + t) * 4 * H;
    for (let j = 0; j < H; j++) {
      const i = F[a + j], f = F[a + H + j], g = F[a + 2 * H + j], og = F[a + 3 * H + j], tc = F[a + 4 * H + j];
      const dh = last ? F[dy + j] : F[dy + j] + F[rec + j];
      const dcj = (last ? F[dyc + j] : dc[b * H + j]) + dh * og * (1 - tc * tc); // through h' = o·tanh c'
      F[zT + j] = F[zx + j] = dcj * g * i * (1 - i);
      F[zT + H + j] = F[zx + H + j] = dcj * F[c + j] * f * (1 - f);
      F[zT + 2 * H + j] = F[zx + 2 * H + j] = dcj * i * (1 - g * g);
      F[zT + 3 * H + j] = F[zx + 3 * H + j] = dh * tc * og * (1 - og);
      dc[b * H + j] = dcj * f;
    }
  }
}

/** stepBack in the SIMD kernel; dc is a heap buffer at float offset `dc` (byte addresses: 4 × float offsets). */
function simdStepBack(k: SimdKernels, o: Bwd, t: number, dc: number): void {
  const { B, T, H } = o;
  const [c, cStride] = t === 0 ? [o.c0, H] : [o.acts + (t - 1) * B * 6 * H + 5 * H, 6 * H];
  k.lstmBack(
    4 * (o.acts + t * B * 6 * H), 4 * (o.dy + t * H), 4 * (o.dy + T * H), 4 * (T + 1) * H, 4 * o.dhRec,
    4 * c, 4 * cStride, 4 * o.dz, 4 * (o.dxz + t * 4 * H), 16 * T * H, 4 * dc, t === T - 1 ? 1 : 0, B, H,
  );
}

/** hPrevT [H, B·T]: column b·T + t is h_{t−1} of row b (h0 at t = 0), as dxz's rows; in 8 × 8 tiles. */
function fillPreviousHidden(F: Float32Array, o: Bwd): void {
  const { B, T, H } = o;
  const rows = B * T;
  const row = (r: number) => { // r = b·T + t
    const b = Math.floor(r / T), t = r - b * T;
    return t === 0 ? o.h0 + b * H : o.hsT + ((t - 1) * B + b) * H;
  };
  for (let r0 = 0; r0 < rows; r0 += 8) {
    const r1 = Math.min(rows, r0 + 8);
    for (let j0 = 0; j0 < H; j0 += 8) {
      const j1 = Math.min(H, j0 + 8);
      for (let r = r0; r < r1; r++) {
        const from = row(r), to = o.hPrevT + r;
        for (let j = j0; j < j1; j++) F[to + j * rows] = F[from + j];
      }
    }
  }
}

type Inputs = { dy: Info; Wh: Info; h0: Info; c0: Info; hsT: Info; acts: Info };

export function lstmBackwardWasm(args: KernelArgs): Info[] {
  const inputs = args.inputs as Inputs;
  checkFloat32(LSTM_BACKWARD, Object.values(inputs));
  const [B, T1, H] = inputs.dy.shape as [number, number, number];
  const T = T1 - 1;
  const backend = args.backend as BackendWasmInternals;
  const make = (shape: number[]) => backend.makeOutput(shape, "float32");
  const outs = [make([B, T, 4 * H]), make([H, 4 * H]), make([B, H]), make([B, H])]; // dxz, dWh, dh0, dc0
  const scope = new KernelScope(backend, "wasm");
  try {
    const WhT = scope.run(tf.Transpose, { x: inputs.Wh }, { perm: [1, 0] }); // [4H, H], once
    const [dz, dhRec, hPrevT] = [[B, 4 * H], [B, H], [H, B * T]].map((s) => scope.adopt(make(s))) as Info[];
    const at = (info: Info) => floatAt(backend, info), id = (info: Info) => heapId(backend, info);
    const { dy, c0, h0, hsT, acts } = inputs;
    const o: Bwd = {
      B, T, H, dy: at(dy), c0: at(c0), h0: at(h0), hsT: at(hsT), acts: at(acts),
      dxz: at(outs[0]!), dz: at(dz!), dhRec: at(dhRec!), hPrevT: at(hPrevT!),
    };
    const simd = H % 4 === 0 ? simdKernels(backend) : null;
    const dc = new Float32Array(B * H); // dc_prev, carried back: in JavaScript memory, or in dc0 itself for SIMD
    for (let t = T - 1; t >= 0; t--) {
      if (simd) simdStepBack(simd, o, t, at(outs[3]!));
      else stepBack(heapFloats(backend), o, t, dc);
      xnnMatMul(backend, id(dz!), id(WhT), id(t > 0 ? dhRec! : outs[2]!), B, 4 * H, H); // [B, 4H] · [4H, H] → [B, H]
    }
    const F = heapFloats(backend);
    if (!simd) F.set(dc, at(outs[3]!));
    fillPreviousHidden(F, o);
    // dxz as the packed operand: autograd's dWx = xᵀ·dxz then reuses XNNPACK's packed copy.
    xnnMatMul(backend, id(hPrevT!), id(outs[0]!), id(outs[1]!), H, B * T, 4 * H); // [H, B·T] · [B·T, 4H] → [H, 4H]
  } finally {
    scope.dispose();
  }
  return outs;
}
