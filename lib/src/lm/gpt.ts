/**
 * A character-level GPT (nanoGPT's layout): token + position embeddings, N pre-norm transformer
 * blocks of causal multi-head self-attention and a 4× MLP, a final layer norm and a linear map to
 * next-token logits. Every position is computed at once; the causal mask keeps position t from
 * reading anything after t. The blocks are gpt-layers.ts's gptBlock, called through the course's
 * seam (seam.ts), which may run a fused version of the same maths.
 */
import { CourseError } from "../errors";
import type { Rng } from "../random";
import { seam } from "../seam";
import { tf } from "../tf";
import type { GptBlockParams } from "./gpt-layers";
import { Params } from "../nn/params";
import { checkPositiveInts, paramsFrom } from "./init";
import type { LanguageModel } from "./model";

export interface GptConfig {
  /** Number of token ids (V). */
  vocabSize: number;
  /** Context length: the most positions the model reads (T ≤ blockSize). */
  blockSize: number;
  /** Width of the residual stream (C); a multiple of `heads`. */
  embeddingSize: number;
  /** Attention heads per block (H); each reads D = C / H channels. */
  heads: number;
  /** Transformer blocks (N). */
  layers: number;
}

/** The model's parameters. */
export interface GptParams {
  /** Token embedding table.  [V, C] */
  wte: tf.Variable<tf.Rank.R2>;
  /** Position embedding table: row t is added at position t.  [blockSize, C] */
  wpe: tf.Variable<tf.Rank.R2>;
  /** The N blocks. */
  blocks: GptBlockParams[];
  /** Final layer norm.  [C], [C] */
  lnfg: tf.Variable<tf.Rank.R1>;
  lnfb: tf.Variable<tf.Rank.R1>;
  /** Head from the residual stream to the logits.  [C, V], [V] */
  Whead: tf.Variable<tf.Rank.R2>;
  bhead: tf.Variable<tf.Rank.R1>;
}

/**
 * One block's parameters: weights ~ N(0, 0.02²), the two maps into the residual stream scaled by
 * 1/√(2N). Created in `from` (a store, e.g. a model's "blocks.0" scope) or in a new store on `from`.
 */
export function initGptBlock(C: number, layers: number, from: Rng | Params): GptBlockParams {
  const p = paramsFrom(from);
  const residual = 0.02 / Math.sqrt(2 * layers);
  return {
    ln1g: p.fill("ln1g", [C], 1), ln1b: p.fill("ln1b", [C], 0),
    Wqkv: p.normal("Wqkv", [C, 3 * C], 0.02), bqkv: p.fill("bqkv", [3 * C], 0),
    Wo: p.normal("Wo", [C, C], residual), bo: p.fill("bo", [C], 0),
    ln2g: p.fill("ln2g", [C], 1), ln2b: p.fill("ln2b", [C], 0),
    W1: p.normal("W1", [C, 4 * C], 0.02), b1: p.fill("b1", [4 * C], 0),
    W2: p.normal("W2", [4 * C, C], residual), b2: p.fill("b2", [C], 0),
  };
}

/**
 * Initial parameters (GPT-2's scheme: N(0, 0.02²), layer norms at gain 1, biases 0), created in
 * `from` — a store, or a new store on the generator `from` — under the names of their fields:
 * "wte", "wpe", "blocks.0.Wqkv", …, "Whead", "bhead".
 */
export function initGptParams(c: GptConfig, from: Rng | Params): GptParams {
  checkPositiveInts(c, ["vocabSize", "blockSize", "embeddingSize", "heads", "layers"], "GptConfig");
  if (c.embeddingSize % c.heads !== 0) {
    throw new CourseError(`GptConfig.embeddingSize (${c.embeddingSize}) must be a multiple of heads (${c.heads}).`);
  }
  const { vocabSize: V, blockSize, embeddingSize: C } = c;
  const p = paramsFrom(from), blocks = p.scope("blocks");
  return {
    wte: p.normal("wte", [V, C], 0.02),
    wpe: p.normal("wpe", [blockSize, C], 0.02),
    blocks: Array.from({ length: c.layers }, (_, i) => initGptBlock(C, c.layers, blocks.scope(String(i)))),
    lnfg: p.fill("lnfg", [C], 1), lnfb: p.fill("lnfb", [C], 0),
    Whead: p.normal("Whead", [C, V], 0.02), bhead: p.fill("bhead", [V], 0),
  };
}

/** The GPT as a LanguageModel: `new GptLM(config, rng)`, then trainLM, generate, windowNll. */
export class GptLM implements LanguageModel {
  readonly name = "gpt";
  readonly blockSize: number;
  readonly vocabSize: number;
  /** The weights by field (`params.blocks[0].Wqkv`): the store's variables. */
  readonly params: GptParams;
  /** The same variables by dotted name ("blocks.0.Wqkv"), in creation order: what a checkpoint holds. */
  readonly store: Params;
  readonly variables: tf.Variable[];

  constructor(readonly config: GptConfig, rng: Rng) {
    this.store = new Params(rng);
    this.params = initGptParams(config, this.store);
    this.blockSize = config.blockSize;
    this.vocabSize = config.vocabSize;
    this.variables = this.store.vars;
  }

  /** Embeddings, then the blocks: the residual stream and each block's attention weights.  idx: [B, T] → [B, T, C] */
  private forward(idx: tf.Tensor2D): { x: tf.Tensor3D; weights: tf.Tensor4D[] } {
    if (idx.rank !== 2) throw new CourseError(`GptLM takes [B, T] token ids, got shape [${idx.shape.join(", ")}].`);
    const [B, T] = idx.shape;
    const C = this.config.embeddingSize;
    if (T > this.blockSize) throw new CourseError(`GptLM reads at most blockSize = ${this.blockSize} positions, got T = ${T}.`);
    const tok = tf.gather(this.params.wte as tf.Tensor, idx.reshape([B * T])).reshape([B, T, C]); // [B, T, C]
    let x = tok.add(this.params.wpe.slice([0, 0], [T, C])) as tf.Tensor3D; // [B, T, C]
    const weights: tf.Tensor4D[] = [];
    for (const block of this.params.blocks) {
      const r = seam.gptBlock(block, x, this.config.heads); // [B, T, C]: gpt-layers.ts's gptBlock, or a fused version
      x = r.x;
      weights.push(r.weights); // [B, H, T, T]
    }
    return { x, weights };
  }

  /** Next-token logits at every position.  idx: [B, T] int32 → [B, T, V] */
  logits(idx: tf.Tensor2D): tf.Tensor3D {
    return tf.tidy(() => {
      const { x } = this.forward(idx);
      const [B, T, C] = x.shape;
      const h = seam.layerNorm(x.reshape([B * T, C]), this.params.lnfg, this.params.lnfb); // [B·T, C]
      const out = tf.matMul(h, this.params.Whead).add(this.params.bhead); // [B·T, V]
      return out.reshape([B, T, this.vocabSize]) as tf.Tensor3D; // [B, T, V]
    });
  }

  /** Attention weights of every layer (outer array) for heat maps; the caller disposes them.  idx: [B, T] → N × [B, H, T, T] */
  attention(idx: tf.Tensor2D): tf.Tensor4D[] {
    return tf.tidy(() => this.forward(idx).weights);
  }

  /** Free the parameters' memory. */
  dispose(): void {
    this.store.dispose();
  }
}
