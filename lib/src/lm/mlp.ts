/**
 * The neural language model of Bengio et al. (2003), "A Neural Probabilistic Language Model":
 * each of the previous blockSize tokens is looked up in a shared embedding table C, the vectors
 * are concatenated, and a tanh hidden layer maps them to next-token logits (makemore's "mlp"
 * rung, without Bengio's optional direct input-to-output connections).
 *
 * It takes [B, T] like every LanguageModel: position t sees tokens t − blockSize + 1 … t, with
 * the boundary token 0 standing in for positions before the start of the row. So the same
 * batches, trainer and sampler serve it and the recurrent and attention models of later lessons.
 */
import { CourseError } from "../errors";
import type { Rng } from "../random";
import { tf } from "../tf";
import { Params } from "../nn/params";
import { checkPositiveInts, paramsFrom } from "./init";
import type { LanguageModel } from "./model";

export interface MlpConfig {
  /** Number of token ids (V), boundary token included. */
  vocabSize: number;
  /** Context length: how many previous tokens each prediction sees (Bengio's n − 1). */
  blockSize: number;
  /** Width of each token's embedding vector (E). */
  embeddingSize: number;
  /** Width of the tanh hidden layer (H). */
  hiddenSize: number;
}

/** The model's parameters, named as in the lesson: C, then the two layers. */
export interface MlpParams {
  /** Embedding table: row i is token i's vector.  [V, E] */
  C: tf.Variable<tf.Rank.R2>;
  /** Hidden layer weights and bias.  [blockSize·E, H], [H] */
  W1: tf.Variable<tf.Rank.R2>;
  b1: tf.Variable<tf.Rank.R1>;
  /** Output layer weights and bias.  [H, V], [V] */
  W2: tf.Variable<tf.Rank.R2>;
  b2: tf.Variable<tf.Rank.R1>;
}

/**
 * Initial parameters, created in `from` (a store, or a new store on the generator `from`) under
 * the names of their fields. C ~ N(0, 1). W1 ~ N(0, 1)·(5/3)/√fanIn, the Kaiming gain
 * for tanh, so the hidden units start neither saturated nor idle. W2 is scaled by 0.01 and the
 * biases are 0, so the first logits are nearly equal and the first loss is close to log V.
 */
export function initMlpParams(c: MlpConfig, from: Rng | Params): MlpParams {
  checkPositiveInts(c, ["vocabSize", "blockSize", "embeddingSize", "hiddenSize"], "MlpConfig");
  const { vocabSize: V, embeddingSize: E, hiddenSize: H } = c;
  const fanIn = c.blockSize * E;
  const p = paramsFrom(from);
  return {
    C: p.normal("C", [V, E], 1),
    W1: p.normal("W1", [fanIn, H], 5 / 3 / Math.sqrt(fanIn)),
    b1: p.fill("b1", [H], 0),
    W2: p.normal("W2", [H, V], 0.01),
    b2: p.fill("b2", [V], 0),
  };
}

/**
 * The context window of every position: out[b, t] = idx[b, t − blockSize + 1 … t], oldest first,
 * with 0 (the boundary token) where the window reaches before the row's start.
 * [B, T] int32 → [B, T, blockSize] int32
 */
export function contextWindows(idx: tf.Tensor2D, blockSize: number): tf.Tensor3D {
  const [B, T] = idx.shape;
  return tf.tidy(() => {
    const padded = tf.concat([tf.zeros([B, blockSize - 1], "int32"), idx.toInt()], 1); // [B, T + blockSize − 1]
    const shifted = Array.from({ length: blockSize }, (_, k) => padded.slice([0, k], [B, T])); // blockSize × [B, T]
    return tf.stack(shifted, 2) as tf.Tensor3D; // [B, T, blockSize]
  });
}

/**
 * Logits for a batch of windows: h = tanh(concat(C[x₁], …, C[x_n]) · W1 + b1), logits = h · W2 + b2.
 * windows: [N, blockSize] int32 → [N, V]
 */
export function mlpForward(p: MlpParams, windows: tf.Tensor2D): tf.Tensor2D {
  const [N, n] = windows.shape;
  if (n * p.C.shape[1] !== p.W1.shape[0]) {
    throw new CourseError(`windows of ${n} tokens × E = ${p.C.shape[1]} give ${n * p.C.shape[1]} inputs, but W1 has shape [${p.W1.shape.join(", ")}].`);
  }
  return tf.tidy(() => {
    const emb = tf.gather(p.C, windows).reshape([N, n * p.C.shape[1]]); // [N, blockSize·E]
    const h = tf.tanh(emb.matMul(p.W1).add(p.b1)); // [N, H]
    return h.matMul(p.W2).add(p.b2) as tf.Tensor2D; // [N, V]
  });
}

/** Bengio's MLP as a LanguageModel: `new MlpLM(config, rng)`, then trainLM, generate, datasetNll. */
export class MlpLM implements LanguageModel {
  readonly name = "mlp";
  readonly blockSize: number;
  readonly vocabSize: number;
  /** The weights by field (`params.C`): the store's variables. */
  readonly params: MlpParams;
  /** The same variables by name ("C", "W1", "b1", "W2", "b2"), in creation order. */
  readonly store: Params;
  readonly variables: tf.Variable[];

  constructor(readonly config: MlpConfig, rng: Rng) {
    this.store = new Params(rng);
    this.params = initMlpParams(config, this.store);
    this.blockSize = config.blockSize;
    this.vocabSize = config.vocabSize;
    this.variables = this.store.vars;
  }

  /** Next-token logits at every position, each from its own window.  [B, T] → [B, T, V] */
  logits(idx: tf.Tensor2D): tf.Tensor3D {
    if (idx.rank !== 2) throw new CourseError(`MlpLM.logits() takes [B, T] token ids, got shape [${idx.shape.join(", ")}].`);
    const [B, T] = idx.shape;
    return tf.tidy(() => {
      const windows = contextWindows(idx, this.blockSize).reshape([B * T, this.blockSize]) as tf.Tensor2D; // [B·T, blockSize]
      return mlpForward(this.params, windows).reshape([B, T, this.vocabSize]) as tf.Tensor3D; // [B, T, V]
    });
  }

  /** Free the parameters' memory. */
  dispose(): void {
    this.store.dispose();
  }
}
