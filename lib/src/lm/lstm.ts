/**
 * A character-level LSTM language model (Hochreiter & Schmidhuber, 1997, with the forget gate of
 * Gers et al., 2000): token embedding → one LSTM layer → linear map to next-token logits
 * (makemore's "rnn"/"gru" rungs, with the LSTM cell).
 *
 * `logits(idx)` is the LanguageModel interface: it runs the recurrence over the T positions of
 * each row from a zero state. `run(idx, state)` is the same from a given state, and also returns
 * the final state, so consecutive batches of the same text streams can carry the memory forward
 * (truncated backpropagation through time, see tbptt.ts).
 */
import { CourseError, assertShape } from "../errors";
import type { Rng } from "../random";
import { tf } from "../setup";
import { checkPositiveInts, normals, trainable } from "./init";
import { lstmSequence } from "./lstm-fused";
import type { LanguageModel } from "./model";

export interface LstmConfig {
  /** Number of token ids (V). */
  vocabSize: number;
  /** Characters per training row (the truncation length T of backpropagation through time). */
  blockSize: number;
  /** Width of each token's embedding vector (E). */
  embeddingSize: number;
  /** Width of the hidden state h and the cell state c (H). */
  hiddenSize: number;
}

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

/**
 * Initial parameters drawn from `rng`. C ~ N(0, 1); W ~ N(0, 1)/√(E + H), so each gate's input
 * starts with unit variance; forget-gate bias 1 (Jozefowicz et al., 2015), so the cell starts by
 * remembering; Wout scaled by 0.01, so the first loss is close to log V.
 */
export function initLstmParams(c: LstmConfig, rng: Rng): LstmParams {
  checkPositiveInts(c, ["vocabSize", "blockSize", "embeddingSize", "hiddenSize"], "LstmConfig");
  const { vocabSize: V, embeddingSize: E, hiddenSize: H } = c;
  const v = trainable;
  const bias = new Float32Array(4 * H).fill(1, H, 2 * H); // [i | f | g | o], f = 1
  return {
    C: v(tf.tensor2d(normals(rng, V * E, 1), [V, E])),
    W: v(tf.tensor2d(normals(rng, (E + H) * 4 * H, 1 / Math.sqrt(E + H)), [E + H, 4 * H])),
    b: v(tf.tensor1d(bias)),
    Wout: v(tf.tensor2d(normals(rng, H * V, 0.01), [H, V])),
    bout: v(tf.zeros([V]) as tf.Tensor1D),
  };
}

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
    const steps = tf.unstack(xz, 1) as tf.Tensor2D[]; // T × [B, 4H]
    let s = state;
    const hs: tf.Tensor2D[] = [];
    for (const zx of steps) {
      s = lstmGates(zx.add(s.h.matMul(Wh)) as tf.Tensor2D, s.c); // [B, 4H] → [B, H]
      hs.push(s.h);
    }
    return { hs: tf.stack(hs, 1) as tf.Tensor3D, state: { h: s.h, c: s.c } }; // [B, T, H]
  });
}

/** The LSTM as a LanguageModel: `new LstmLM(config, rng)`, then trainLM, generateLstm, streamNll. */
export class LstmLM implements LanguageModel {
  readonly name = "lstm";
  readonly blockSize: number;
  readonly vocabSize: number;
  readonly hiddenSize: number;
  readonly params: LstmParams;
  readonly variables: tf.Variable[];

  constructor(readonly config: LstmConfig, rng: Rng) {
    this.params = initLstmParams(config, rng);
    this.blockSize = config.blockSize;
    this.vocabSize = config.vocabSize;
    this.hiddenSize = config.hiddenSize;
    const { C, W, b, Wout, bout } = this.params;
    this.variables = [C, W, b, Wout, bout];
  }

  /**
   * Logits at every position and the state after the last one, starting from `state` (zeros if
   * omitted). The caller owns the results. A state kept from an earlier batch is a constant to
   * this batch's gradient: the memory flows forward, the gradient stops at the batch boundary.
   * idx: [B, T] int32, state: [B, H] each → logits: [B, T, V]
   */
  run(idx: tf.Tensor2D, state?: LstmState): { logits: tf.Tensor3D; state: LstmState } {
    if (idx.rank !== 2) throw new CourseError(`LstmLM takes [B, T] token ids, got shape [${idx.shape.join(", ")}].`);
    const [B, T] = idx.shape;
    const H = this.hiddenSize, V = this.vocabSize;
    return tf.tidy(() => {
      const start = state ?? zeroState(B, H);
      const { C, W, b } = this.params, E = this.config.embeddingSize;
      const emb = tf.gather(C as tf.Tensor, idx).reshape([B * T, E]); // [B·T, E]
      // lstmUnroll's computation (the notebook's cell, step by step) as one fused op: the same
      // values and gradients; on wasm two kernels per sequence instead of ~70 per step (lstm-fused.ts).
      const Wx = W.slice([0, 0], [E, 4 * H]), Wh = W.slice([E, 0], [H, 4 * H]); // [E, 4H], [H, 4H]
      const xz = emb.matMul(Wx).add(b).reshape([B, T, 4 * H]) as tf.Tensor3D; // [B, T, 4H]
      const out = lstmSequence(xz, Wh, start.h, start.c); // hs: [B, T, H]
      const flat = out.hs.reshape([B * T, H]).matMul(this.params.Wout).add(this.params.bout); // [B·T, V]
      return { logits: flat.reshape([B, T, V]) as tf.Tensor3D, state: out.state };
    });
  }

  /** Next-token logits at every position, from a zero state.  [B, T] → [B, T, V] */
  logits(idx: tf.Tensor2D): tf.Tensor3D {
    return tf.tidy(() => this.run(idx).logits);
  }

  /** Free the parameters' memory. */
  dispose(): void {
    tf.dispose(this.variables);
  }
}
