/**
 * The layers of an LSTM (Hochreiter & Schmidhuber, 1997, with the forget gate of Gers et al.,
 * 2000): the gates and the state update, one step of the cell, and the cell unrolled over T
 * steps — the functions notebook 03 derives. LstmLM (lstm.ts) runs lstmUnroll through the
 * course's seam (seam.ts).
 */
import { assertShape } from "../errors";
import { tf } from "../tf";

/** The model's parameters. The four gates share one matrix: columns [i | f | g | o], H each. */
export interface LstmParams {
  /** Embedding table: row i is token i's vector.  [V, E] */
  C: tf.Variable<tf.Rank.R2>;
  /** Gate weights for the concatenated input [x, h]: rows 0…E−1 for x, E…E+H−1 for h.  [E + H, 4H] */
  W: tf.Variable<tf.Rank.R2>;
  /** Gate biases, the forget gate's started at 1.  [4H] */
  b: tf.Variable<tf.Rank.R1>;
  /** Output layer from h to the logits.  [H, V], [V] */
  Wout: tf.Variable<tf.Rank.R2>;
  bout: tf.Variable<tf.Rank.R1>;
}

/** The recurrent memory: hidden state h and cell state c of each row.  [B, H] each */
export type LstmState = {
  h: tf.Tensor2D;
  c: tf.Tensor2D;
};

/** A zero state for B rows (what every sequence starts from).  → h, c: [B, H] */
export function zeroState(batchSize: number, hiddenSize: number): LstmState {
  return { h: tf.zeros([batchSize, hiddenSize]), c: tf.zeros([batchSize, hiddenSize]) };
}

/**
 * The gates from their pre-activations z = [x, h]·W + b and the state update:
 * i, f, o = σ(zᵢ), σ(z_f), σ(z_o); g = tanh(z_g); c' = f·c + i·g; h' = o·tanh(c').
 * z: [B, 4H], c: [B, H] → h', c': [B, H]
 */
export function lstmGates(z: tf.Tensor2D, c: tf.Tensor2D): LstmState {
  return tf.tidy(() => {
    const [zi, zf, zg, zo] = tf.split(z, 4, 1) as tf.Tensor2D[]; // 4 × [B, H]
    const cNext = tf.sigmoid(zf!).mul(c).add(tf.sigmoid(zi!).mul(tf.tanh(zg!))) as tf.Tensor2D; // [B, H]
    const hNext = tf.sigmoid(zo!).mul(tf.tanh(cNext)) as tf.Tensor2D; // [B, H]
    return { h: hNext, c: cNext };
  });
}

/** One step of the cell: z = [x, h]·W + b (one product for all four gates), then lstmGates. x: [B, E] */
export function lstmCell(p: LstmParams, x: tf.Tensor2D, state: LstmState): LstmState {
  return tf.tidy(() => {
    const z = tf.concat([x, state.h], 1).matMul(p.W).add(p.b) as tf.Tensor2D; // [B, E + H] · [E + H, 4H] → [B, 4H]
    return lstmGates(z, state.c);
  });
}

/**
 * The cell over T steps. The same product as lstmCell, split as [x, h]·W = x·W[:E] + h·W[E:]: the
 * input part of every step is one large product before the loop, which leaves one small product
 * per step.  emb: [B, T, E] → hs: [B, T, H] and the final state
 */
export function lstmUnroll(p: LstmParams, emb: tf.Tensor3D, state: LstmState): { hs: tf.Tensor3D; state: LstmState } {
  const [B, T, E] = emb.shape;
  const H = p.W.shape[1] / 4;
  assertShape(state.h.shape, [B, H], "state.h");
  return tf.tidy(() => {
    const Wx = p.W.slice([0, 0], [E, 4 * H]), Wh = p.W.slice([E, 0], [H, 4 * H]); // [E, 4H], [H, 4H]
    const xz = emb.reshape([B * T, E]).matMul(Wx).add(p.b).reshape([B, T, 4 * H]); // [B, T, 4H]
    // (tfjs 4.22's gradient of unstack fails for a single piece: T = 1 is a reshape.)
    const steps = T === 1 ? [xz.reshape([B, 4 * H]) as tf.Tensor2D] : tf.unstack(xz, 1) as tf.Tensor2D[]; // T × [B, 4H]
    let s = state;
    const hs: tf.Tensor2D[] = [];
    for (const zx of steps) {
      s = lstmGates(zx.add(s.h.matMul(Wh)) as tf.Tensor2D, s.c); // [B, 4H] → [B, H]
      hs.push(s.h);
    }
    return { hs: tf.stack(hs, 1) as tf.Tensor3D, state: { h: s.h, c: s.c } }; // [B, T, H]
  });
}
