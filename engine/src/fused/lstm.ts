/**
 * The LSTM layer over a whole sequence as one differentiable op, as cuDNN runs it: the same
 * numbers as the library's lstmUnroll (its loop of lstmGates), in far fewer kernels.
 *
 * Forward, per step: one product h·Wh, then the gates and the state update in one pass, which
 * also keeps what the backward pass needs (the activated gates, c' and tanh c'). Backward,
 * backpropagation through time written out: per step one pass (dh, dc → dz, dc_prev) and one
 * product dz·Whᵀ, with Whᵀ made once (XNNPACK packs a matrix it has not seen before, so a
 * fresh transpose per step would be packed T times); dxz is every step's dz, and dWh =
 * Σ_t h_{t−1}ᵀ·dz_t is one [H, B·T] × [B·T, 4H] product after the loop. Each direction is one
 * kernel, so the engine's per-op bookkeeping is paid twice, not some 35 times per step.
 *
 * The fused kernels exist for wasm while its speed work is on (wasmLstm*.ts): the course's seam
 * (lib/src/seam.ts) calls fusedLstmUnroll while `fusedWasmActive()`, and the library's own
 * lstmUnroll (the loop the notebook writes) everywhere else.
 */
import * as tf from "@tensorflow/tfjs-core";
import { LSTM_BACKWARD, LSTM_FORWARD } from "../wasmLstm";
import { EngineError, assertShape } from "../errors";
import { type Save, customOp, runKernel } from "./custom-op";

type T2 = tf.Tensor2D;
/** The recurrent memory, as the library's LstmState.  [B, H] each */
export type LstmState = { h: T2; c: T2 };

/**
 * The LSTM over T steps from the input part of every step's gate pre-activations.
 * xz = x·Wx + b of all steps: [B, T, 4H] (gate order [i | f | g | o]), Wh: [H, 4H],
 * h0, c0: [B, H] → hs: [B, T, H] and the final state. Gradients reach all four inputs.
 */
export function lstmSequence(xz: tf.Tensor3D, Wh: T2, h0: T2, c0: T2): { hs: tf.Tensor3D; state: LstmState } {
  checkSequenceShapes(xz, Wh, h0, c0);
  const [B, T] = xz.shape;
  const H = Wh.shape[0];
  return tf.tidy(() => {
    const packed = fusedSequence(xz, Wh, h0, c0) as tf.Tensor3D; // [B, T + 1, H]: h_0…h_{T−1}, c_{T−1}
    const hs = tf.slice(packed, [0, 0, 0], [B, T, H]); // [B, T, H]
    const h = tf.reshape(tf.slice(packed, [0, T - 1, 0], [B, 1, H]), [B, H]) as T2; // [B, H]
    const c = tf.reshape(tf.slice(packed, [0, T, 0], [B, 1, H]), [B, H]) as T2; // [B, H]
    return { hs, state: { h, c } };
  });
}

function checkSequenceShapes(xz: tf.Tensor3D, Wh: T2, h0: T2, c0: T2): void {
  if (xz.rank !== 3 || xz.shape[1] < 1) {
    throw new EngineError(
      `lstmSequence takes xz of shape [B, T, 4H] with T ≥ 1, got [${xz.shape.join(", ")}]: ` +
      "compute the input projection of all steps first (x·Wx + b, reshaped to [B, T, 4H]).",
    );
  }
  const [B, , H4] = xz.shape;
  const H = H4 / 4;
  if (!Number.isInteger(H)) {
    throw new EngineError(`lstmSequence: xz's last axis (${H4}) must be 4H, the four gates [i | f | g | o].`);
  }
  assertShape(Wh.shape, [H, 4 * H], "lstmSequence's Wh");
  assertShape(h0.shape, [B, H], "lstmSequence's h0");
  assertShape(c0.shape, [B, H], "lstmSequence's c0");
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

/**
 * The library's lstmUnroll (same parameters, values and gradients) on the fused layer: the input
 * part of every step's gates in one product, then lstmSequence. W: [E + H, 4H] (rows for x, then
 * h), b: [4H].  emb: [B, T, E] → hs: [B, T, H] and the final state
 */
export function fusedLstmUnroll(p: { W: T2; b: tf.Tensor1D }, emb: tf.Tensor3D, state: LstmState): { hs: tf.Tensor3D; state: LstmState } {
  const [B, T, E] = emb.shape;
  const H = p.W.shape[1] / 4;
  return tf.tidy(() => {
    const Wx = tf.slice(p.W, [0, 0], [E, 4 * H]), Wh = tf.slice(p.W, [E, 0], [H, 4 * H]); // [E, 4H], [H, 4H]
    const xz = tf.reshape(tf.add(tf.matMul(tf.reshape(emb, [B * T, E]), Wx), p.b), [B, T, 4 * H]) as tf.Tensor3D; // [B, T, 4H]
    return lstmSequence(xz, Wh, state.h, state.c);
  });
}
