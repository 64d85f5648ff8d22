/**
 * A whole LSTM layer forward as one wasm kernel, the way cuDNN runs it: fused/lstm.ts calls it.
 *
 *   CourseLstmForward  xz [B, T, 4H] (x·Wx + b of every step), Wh [H, 4H], h0, c0 [B, H]
 *                      → out [B, T + 1, H] (h of every step, then the last c),
 *                        hsT [T, B, H] and acts [T, B, 6H] = [i | f | g | o | tanh c' | c'] per
 *                        step, which the backward kernel (wasmLstmGrad.ts) needs.
 *
 * Per step: z = xz[:, t] + h·Wh, the product on XNNPACK into a buffer made once; the gates
 * i, f, o = σ(z), g = tanh(z_g) and tanh(c') come from XNNPACK's vectorised sigmoid (tanh x =
 * 2σ(2x) − 1: wasm's own tanh is scalar and ~8× slower, and so is JavaScript's Math.exp); the
 * additions and products run in the course's SIMD kernels (engine/wasm/kernels.wat) when H is a
 * multiple of 4, else in the JavaScript loops below. Composed from tfjs ops, one step is
 * a matMul, add, split, three sigmoids, two tanhs and five products and sums, each its own kernel
 * call, and some 25 more kernels backward. Registered for 'wasm' only, while the speed work is on
 * (wasmSpeedups.ts); elsewhere lstmSequence composes tfjs ops (the reference of the tests).
 */
import * as tf from "@tensorflow/tfjs-core";
import { Info, KernelScope } from "./kernelScope";
import { LSTM_BACKWARD, checkFloat32, floatAt, heapFloats, lstmBackwardWasm } from "./wasmLstmGrad";
import { xnnMatMul } from "./wasmMatMul";
import { SimdKernels, simdKernels } from "./wasmSimd";
import { BackendWasmInternals, HeapAliases, cwrapOnce, heapId } from "./wasmInternals";
import { gateKernel } from "./wasmThreadGate";

export const LSTM_FORWARD = "CourseLstmForward";
export { LSTM_BACKWARD };

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: tf.NamedAttrMap };

/** out = σ(x) elementwise, XNNPACK's kernel on two C++ tensor ids of the same size. */
const cSigmoid = cwrapOnce(
  (wasm) => wasm.cwrap(tf.Sigmoid, null, ["number", "number"]) as unknown as (xId: number, outId: number) => void,
);

/** Float offsets of the forward kernel's buffers, and the sizes. */
interface Fwd {
  B: number; T: number; H: number;
  xz: number; hz: number; z: number; s: number; u: number; su: number;
  c0: number; out: number; hsT: number; acts: number;
}

/** z = xz[:, t] + hz, with the g block doubled (tanh via σ(2x)). */
function preActivations(F: Float32Array, o: Fwd, t: number): void {
  const { B, T, H } = o;
  for (let b = 0; b < B; b++) {
    const x = o.xz + (b * T + t) * 4 * H, h = o.hz + b * 4 * H, z = o.z + b * 4 * H;
    for (let k = 0; k < 2 * H; k++) F[z + k] = F[x + k] + F[h + k];
    for (let k = 2 * H; k < 3 * H; k++) F[z + k] = 2 * (F[x + k] + F[h + k]);
    for (let k = 3 * H; k < 4 * H; k++) F[z + k] = F[x + k] + F[h + k];
  }
}

/** From s = σ(z): the gates and c' = f·c + i·g into acts[t]; u = 2c' (for tanh c'). */
function cellUpdate(F: Float32Array, o: Fwd, t: number): void {
  const { B, H } = o;
  for (let b = 0; b < B; b++) {
    const s = o.s + b * 4 * H, a = o.acts + (t * B + b) * 6 * H;
    const c = t === 0 ? o.c0 + b * H : o.acts + ((t - 1) * B + b) * 6 * H + 5 * H;
    for (let j = 0; j < H; j++) {
      const i = F[s + j], f = F[s + H + j], g = 2 * F[s + 2 * H + j] - 1;
      F[a + j] = i;
      F[a + H + j] = f;
      F[a + 2 * H + j] = g;
      F[a + 3 * H + j] = F[s + 3 * H + j];
      F[a + 5 * H + j] = f * F[c + j] + i * g;
      F[o.u + b * H + j] = 2 * F[a + 5 * H + j];
    }
  }
}

/** From su = σ(2c'): tanh c' into acts[t], h' = o·tanh c' into hsT[t] and out[:, t]. */
function hiddenUpdate(F: Float32Array, o: Fwd, t: number): void {
  const { B, T, H } = o;
  for (let b = 0; b < B; b++) {
    const a = o.acts + (t * B + b) * 6 * H, su = o.su + b * H;
    const hT = o.hsT + (t * B + b) * H, out = o.out + (b * (T + 1) + t) * H;
    for (let j = 0; j < H; j++) {
      const tc = 2 * F[su + j] - 1;
      F[a + 4 * H + j] = tc;
      F[hT + j] = F[out + j] = F[a + 3 * H + j] * tc;
    }
  }
}

/** The three element-wise passes of step t in the SIMD kernels (byte addresses: 4 × float offsets). */
function simdPre(k: SimdKernels, o: Fwd, t: number): void {
  const { B, T, H } = o;
  k.lstmPre(4 * (o.xz + t * 4 * H), 16 * T * H, 4 * o.hz, 4 * o.z, B, H);
}

function simdCell(k: SimdKernels, o: Fwd, t: number): void {
  const { B, H } = o;
  const [c, cStride] = t === 0 ? [o.c0, H] : [o.acts + (t - 1) * B * 6 * H + 5 * H, 6 * H];
  k.lstmCell(4 * o.s, 4 * (o.acts + t * B * 6 * H), 4 * c, 4 * cStride, 4 * o.u, B, H);
}

function simdHidden(k: SimdKernels, o: Fwd, t: number): void {
  const { B, T, H } = o;
  k.lstmHidden(4 * o.su, 4 * (o.acts + t * B * 6 * H), 4 * (o.hsT + t * B * H), 4 * (o.out + t * H), 4 * (T + 1) * H, B, H);
}

/** The last step's c' into out[:, T]. */
function finalCell(F: Float32Array, o: Fwd): void {
  const { B, T, H } = o;
  for (let b = 0; b < B; b++) {
    const a = o.acts + ((T - 1) * B + b) * 6 * H + 5 * H, out = o.out + (b * (T + 1) + T) * H;
    for (let j = 0; j < H; j++) F[out + j] = F[a + j];
  }
}

function lstmForwardWasm(args: KernelArgs): Info[] {
  const { xz, Wh, h0, c0 } = args.inputs as { xz: Info; Wh: Info; h0: Info; c0: Info };
  checkFloat32(LSTM_FORWARD, [xz, Wh, h0, c0]);
  const [B, T, H4] = xz.shape as [number, number, number];
  const H = H4 / 4;
  const backend = args.backend as BackendWasmInternals;
  const make = (shape: number[]) => backend.makeOutput(shape, "float32");
  const outs = [make([B, T + 1, H]), make([T, B, H]), make([T, B, 6 * H])];
  const scope = new KernelScope(backend, "wasm");
  const aliases = new HeapAliases(backend);
  try {
    const [hz, z, s, u, su] = [[B, H4], [B, H4], [B, H4], [B, H], [B, H]].map((sh) => scope.adopt(make(sh))) as Info[];
    const at = (info: Info) => floatAt(backend, info);
    const o: Fwd = {
      B, T, H, xz: at(xz), hz: at(hz!), z: at(z!), s: at(s!), u: at(u!), su: at(su!), c0: at(c0),
      out: at(outs[0]!), hsT: at(outs[1]!), acts: at(outs[2]!),
    };
    const sigmoid = cSigmoid(backend), id = (info: Info) => heapId(backend, info);
    const simd = H % 4 === 0 ? simdKernels(backend) : null; // the element-wise passes in SIMD, or JavaScript
    for (let t = 0; t < T; t++) {
      const hPrev = t === 0 ? id(h0) : aliases.alias(4 * (o.hsT + (t - 1) * B * H), B * H);
      xnnMatMul(backend, hPrev, id(Wh), id(hz!), B, H, H4); // [B, H] · [H, 4H] → [B, 4H]
      if (simd) simdPre(simd, o, t);
      else preActivations(heapFloats(backend), o, t);
      sigmoid(id(z!), id(s!));
      if (simd) simdCell(simd, o, t);
      else cellUpdate(heapFloats(backend), o, t);
      sigmoid(id(u!), id(su!));
      if (simd) simdHidden(simd, o, t);
      else hiddenUpdate(heapFloats(backend), o, t);
    }
    finalCell(heapFloats(backend), o);
  } finally {
    aliases.dispose();
    scope.dispose();
  }
  return outs;
}

const KERNELS: ReadonlyArray<tf.KernelConfig> = [
  // Threads for the per-step products h·Wh and dz·Whᵀ when they are large (wasmThreadGate.ts).
  { kernelName: LSTM_FORWARD, backendName: "wasm", kernelFunc: gateKernel(LSTM_FORWARD, lstmForwardWasm as unknown as tf.KernelFunc) },
  { kernelName: LSTM_BACKWARD, backendName: "wasm", kernelFunc: gateKernel(LSTM_BACKWARD, lstmBackwardWasm as unknown as tf.KernelFunc) },
];

/** Register (true) or remove (false) the two LSTM kernels for 'wasm'. Idempotent. */
export function setWasmLstmKernels(on: boolean): void {
  for (const config of KERNELS) {
    const current = tf.getKernel(config.kernelName, "wasm");
    if (on && !current) tf.registerKernel(config);
    if (!on && current) tf.unregisterKernel(config.kernelName, "wasm");
  }
}
