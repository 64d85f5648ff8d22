/**
 * Lesson 05's mini-GPT as an ONNX graph, built from the model's own weights and the plain maths of
 * gpt-layers.ts (layerNorm, causalAttention, splitHeads/mergeHeads, gptBlock), never from the
 * fused kernels. Input "tokens" [batch, time] int32 with time ≤ blockSize; output "logits"
 * [batch, time, V]. Both sizes are dynamic: the positions and the causal mask are cut to T inside
 * the graph.
 */
import { assertShape } from "../errors";
import type { GptConfig, GptLM } from "../lm/gpt";
import type { GptBlockParams } from "../lm/gpt-layers";
import { GraphBuilder, type OnnxModel } from "./graph";
import { COURSE_OPSET, causalMaskNodes, denseNodes, layerNormNodes, tensorToInitializer } from "./layers";

/** Check every weight's shape against the config before anything is written. */
function checkGptShapes(model: GptLM): void {
  const { vocabSize: V, blockSize, embeddingSize: C } = model.config;
  const p = model.params;
  assertShape(p.wte.shape, [V, C], "wte");
  assertShape(p.wpe.shape, [blockSize, C], "wpe");
  assertShape(p.Whead.shape, [C, V], "Whead");
  p.blocks.forEach((blk, i) => {
    const want: Record<keyof GptBlockParams, number[]> = {
      ln1g: [C], ln1b: [C], Wqkv: [C, 3 * C], bqkv: [3 * C], Wo: [C, C], bo: [C],
      ln2g: [C], ln2b: [C], W1: [C, 4 * C], b1: [4 * C], W2: [4 * C, C], b2: [C],
    };
    for (const [k, shape] of Object.entries(want)) assertShape(blk[k as keyof GptBlockParams].shape, shape, `blocks[${i}].${k}`);
  });
}

/** Causal multi-head self-attention of one block on the normed stream h.  h: [B, T, C] → [B, T, C] (before Wo) */
function attentionNodes(b: GraphBuilder, h: string, w: (k: keyof GptBlockParams) => string, c: GptConfig, mask: string): string {
  const H = c.heads, D = c.embeddingSize / H;
  const qkv = denseNodes(b, h, w("Wqkv"), w("bqkv")); // [B, T, 3C]
  const split = b.op1("Reshape", [qkv, b.int64s(`${qkv}.shape`, [0, 0, 3 * H, D])]); // [B, T, 3H, D]
  const all = b.op1("Transpose", [split], { perm: { ints: [0, 2, 1, 3] } }); // [B, 3H, T, D]
  const [q, k, v] = b.op("Split", [all], { axis: { i: 1 } }, 3) as [string, string, string]; // 3 × [B, H, T, D]
  const kT = b.op1("Transpose", [k], { perm: { ints: [0, 1, 3, 2] } }); // [B, H, D, T]
  const scaled = b.op1("Mul", [q, b.scalar(`${q}.scale`, 1 / Math.sqrt(D))]); // [B, H, T, D]
  const scores = b.op1("Add", [b.op1("MatMul", [scaled, kT]), mask]); // [B, H, T, T]
  const weights = b.op1("Softmax", [scores], { axis: { i: -1 } }); // [B, H, T, T]
  const out = b.op1("Transpose", [b.op1("MatMul", [weights, v])], { perm: { ints: [0, 2, 1, 3] } }); // [B, T, H, D]
  return b.op1("Reshape", [out, b.int64s(`${out}.shape`, [0, 0, c.embeddingSize])]); // [B, T, C]
}

/** One pre-norm block as gptBlock: x + attention(LN(x))·Wo, then + MLP(LN(·)).  x: [B, T, C] → [B, T, C] */
function blockNodes(b: GraphBuilder, x: string, p: GptBlockParams, i: number, c: GptConfig, mask: string): string {
  const w = (k: keyof GptBlockParams) => tensorToInitializer(b, `blocks.${i}.${k}`, p[k]);
  const merged = attentionNodes(b, layerNormNodes(b, x, w("ln1g"), w("ln1b")), w, c, mask); // [B, T, C]
  const x1 = b.op1("Add", [x, denseNodes(b, merged, w("Wo"), w("bo"))]); // [B, T, C]
  const hidden = b.op1("Relu", [denseNodes(b, layerNormNodes(b, x1, w("ln2g"), w("ln2b")), w("W1"), w("b1"))]); // [B, T, 4C]
  return b.op1("Add", [x1, denseNodes(b, hidden, w("W2"), w("b2"))]); // [B, T, C]
}

/** The GPT as an ONNX model (opset 17): tokens [batch, time] int32 → logits [batch, time, V]. */
export function exportGpt(model: GptLM): OnnxModel {
  checkGptShapes(model);
  const c = model.config, p = model.params;
  const b = new GraphBuilder("mini-gpt");
  const tokens = b.input("tokens", "int32", ["batch", "time"]);
  const T = b.op1("Shape", [tokens], { start: { i: 1 }, end: { i: 2 } }); // [1]: (T)
  const tok = b.op1("Gather", [tensorToInitializer(b, "wte", p.wte), tokens]); // [B, T, C]
  const zero = b.int64s("zero", [0]);
  const pos = b.op1("Slice", [tensorToInitializer(b, "wpe", p.wpe), zero, T, zero]); // [T, C]: rows 0…T−1
  let x = b.op1("Add", [tok, pos]); // [B, T, C]
  const mask = causalMaskNodes(b, T); // [T, T]
  p.blocks.forEach((blk, i) => { x = blockNodes(b, x, blk, i, c, mask); });
  const h = layerNormNodes(b, x, tensorToInitializer(b, "lnfg", p.lnfg), tensorToInitializer(b, "lnfb", p.lnfb)); // [B, T, C]
  const logits = denseNodes(b, h, tensorToInitializer(b, "Whead", p.Whead), tensorToInitializer(b, "bhead", p.bhead)); // [B, T, V]
  b.output(logits, "logits", "float32", ["batch", "time", c.vocabSize]);
  return {
    graph: b.graph(), opset: COURSE_OPSET,
    doc: `mini-GPT (lesson 05): V ${c.vocabSize}, blockSize ${c.blockSize}, C ${c.embeddingSize}, ${c.heads} heads, ${c.layers} layers`,
  };
}
