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
import { CourseError } from "../errors";
import type { Rng } from "../random";
import { seam } from "../seam";
import { tf } from "../tf";
import { Params } from "../nn/params";
import { checkPositiveInts, paramsFrom } from "./init";
import { type LstmParams, type LstmState, zeroState } from "./lstm-layers";
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

/**
 * Initial parameters, created in `from` (a store, or a new store on the generator `from`) under
 * the names of their fields. C ~ N(0, 1); W ~ N(0, 1)/√(E + H), so each gate's input starts with
 * unit variance; forget-gate bias 1 (Jozefowicz et al., 2015), so the cell starts by remembering;
 * Wout scaled by 0.01, so the first loss is close to log V.
 */
export function initLstmParams(c: LstmConfig, from: Rng | Params): LstmParams {
  checkPositiveInts(c, ["vocabSize", "blockSize", "embeddingSize", "hiddenSize"], "LstmConfig");
  const { vocabSize: V, embeddingSize: E, hiddenSize: H } = c;
  const p = paramsFrom(from);
  const bias = new Float32Array(4 * H).fill(1, H, 2 * H); // [i | f | g | o], f = 1
  return {
    C: p.normal("C", [V, E], 1),
    W: p.normal("W", [E + H, 4 * H], 1 / Math.sqrt(E + H)),
    b: p.values("b", [4 * H], bias),
    Wout: p.normal("Wout", [H, V], 0.01),
    bout: p.fill("bout", [V], 0),
  };
}

/** The LSTM as a LanguageModel: `new LstmLM(config, rng)`, then trainLM, generateLstm, streamNll. */
export class LstmLM implements LanguageModel {
  readonly name = "lstm";
  readonly blockSize: number;
  readonly vocabSize: number;
  readonly hiddenSize: number;
  /** The weights by field (`params.W`): the store's variables. */
  readonly params: LstmParams;
  /** The same variables by name ("C", "W", "b", "Wout", "bout"), in creation order. */
  readonly store: Params;
  readonly variables: tf.Variable[];

  constructor(readonly config: LstmConfig, rng: Rng) {
    this.store = new Params(rng);
    this.params = initLstmParams(config, this.store);
    this.blockSize = config.blockSize;
    this.vocabSize = config.vocabSize;
    this.hiddenSize = config.hiddenSize;
    this.variables = this.store.vars;
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
      const { C } = this.params;
      const emb = tf.gather(C as tf.Tensor, idx) as tf.Tensor3D; // [B, T, E]
      const out = seam.lstmUnroll(this.params, emb, start); // lstm-layers.ts's lstmUnroll, or a fused version (seam.ts)
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
    this.store.dispose();
  }
}
