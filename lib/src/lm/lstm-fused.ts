/**
 * The LSTM layer over a whole sequence as one differentiable op, as cuDNN runs it: the same
 * numbers as lstmUnroll's loop of lstmGates (lstm.ts), in far fewer kernels.
 *
 * Forward, per step: one product h·Wh, then the gates and the state update in one pass, which
 * also keeps what the backward pass needs (the activated gates, c' and tanh c'). Backward,
 * backpropagation through time written out: per step one pass (dh, dc → dz, dc_prev) and one
 * product dz·Whᵀ, with Whᵀ made once (XNNPACK packs a matrix it has not seen before, so a
 * fresh transpose per step would be packed T times); dxz is every step's dz, and dWh =
 * Σ_t h_{t−1}ᵀ·dz_t is one [H, B·T] × [B·T, 4H] product after the loop. Each direction is one
 * kernel, so the engine's per-op bookkeeping is paid twice, not some 35 times per step.
 *
 * The fused kernels exist for wasm while its speed work is on (backend/wasmLstm*.ts). On every
 * other backend, and with GENAI_WASM_SPEEDUPS=0 or GENAI_WASM_FUSED=0, lstmSequence composes
 * tfjs ops step by step, exactly as lstmUnroll does, and tfjs differentiates them.
 */
import { LSTM_BACKWARD, LSTM_FORWARD } from "../backend/wasmLstm";
import { fusedWasmActive } from "../backend/wasmSpeedups";
import { CourseError, assertShape } from "../errors";
import { type Save, customOp, runKernel } from "../nn/custom-op";
import { tf } from "../setup";
import { type LstmState, lstmGates } from "./lstm";

type T2 = tf.Tensor2D;

/**
 * The LSTM over T steps from the input part of every step's gate pre-activations.
 * xz = x·Wx + b of all steps: [B, T, 4H] (gate order [i | f | g | o]), Wh: [H, 4H],
 * h0, c0: [B, H] → hs: [B, T, H] and the final state. Gradients reach all four inputs.
 */
export function lstmSequence(xz: tf.Tensor3D, Wh: T2, h0: T2, c0: T2): { hs: tf.Tensor3D; state: LstmState } {
  checkSequenceShapes(xz, Wh, h0, c0);
  const [B, T] = xz.shape;
  const H = Wh.shape[0];
  if (!fusedWasmActive() || xz.size === 0) return composedSequence(xz, Wh, h0, c0);
  return tf.tidy(() => {
    const packed = fusedSequence(xz, Wh, h0, c0) as tf.Tensor3D; // [B, T + 1, H]: h_0…h_{T−1}, c_{T−1}
    const hs = packed.slice([0, 0, 0], [B, T, H]); // [B, T, H]
    const h = packed.slice([0, T - 1, 0], [B, 1, H]).reshape([B, H]) as T2; // [B, H]
    const c = packed.slice([0, T, 0], [B, 1, H]).reshape([B, H]) as T2; // [B, H]
    return { hs, state: { h, c } };
  });
}

function checkSequenceShapes(xz: tf.Tensor3D, Wh: T2, h0: T2, c0: T2): void {
  if (xz.rank !== 3 || xz.shape[1] < 1) {
    throw new CourseError(
      `lstmSequence takes xz of shape [B, T, 4H] with T ≥ 1, got [${xz.shape.join(", ")}]: ` +
      "compute the input projection of all steps first (x·Wx + b, reshaped to [B, T, 4H]).",
    );
  }
  const [B, , H4] = xz.shape;
  const H = H4 / 4;
  if (!Number.isInteger(H)) {
    throw new CourseError(`lstmSequence: xz's last axis (${H4}) must be 4H, the four gates [i | f | g | o].`);
  }
  assertShape(Wh.shape, [H, 4 * H], "lstmSequence's Wh");
  assertShape(h0.shape, [B, H], "lstmSequence's h0");
  assertShape(c0.shape, [B, H], "lstmSequence's c0");
}

/** The reference: lstmUnroll's loop over steps, in tfjs ops (tfjs differentiates it). */
function composedSequence(xz: tf.Tensor3D, Wh: T2, h0: T2, c0: T2): { hs: tf.Tensor3D; state: LstmState } {
  const [B, T, H4] = xz.shape;
  return tf.tidy(() => {
    let s: LstmState = { h: h0, c: c0 };
    const hs: T2[] = [];
    // (tfjs 4.22's gradient of unstack fails for a single piece: T = 1 is a reshape.)
    const steps = T === 1 ? [xz.reshape([B, H4]) as T2] : tf.unstack(xz, 1) as T2[]; // T × [B, 4H]
    for (const zx of steps) {
      s = lstmGates(zx.add(s.h.matMul(Wh)) as T2, s.c); // [B, 4H] → [B, H]
      hs.push(s.h);
    }
    return { hs: tf.stack(hs, 1) as tf.Tensor3D, state: s }; // [B, T, H]
  });
}

/**
 * The fused path as one op with its own gradient (the two kernels of backend/wasmLstm*.ts):
 * → [B, T + 1, H] = h of every step, then the final c.
 */
const fusedSequence = customOp((...args) => {
  const [xz, Wh, h0, c0, save] = args as [tf.Tensor3D, T2, T2, T2, Save];
  const [out, hsT, acts] = runKernel(LSTM_FORWARD, { xz, Wh, h0, c0 }) as tf.Tensor[]; // [B, T + 1, H], [T, B, H], [T, B, 6H]
  save([Wh, h0, c0, hsT!, acts!]);
  const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
    const [W, h, c, hs, a] = saved as [T2, T2, T2, tf.Tensor3D, tf.Tensor3D];
    return runKernel(LSTM_BACKWARD, { dy, Wh: W, h0: h, c0: c, hsT: hs, acts: a }) as tf.Tensor[]; // dxz, dWh, dh0, dc0
  };
  return { value: out!, gradFunc };
});
