/**
 * What weight quantisation would trade, measured rather than assumed: every weight matrix of a
 * GPT stored as int8 with one float32 scale per output column (symmetric: q = round(w / s),
 * s = max|w| / 127), then turned back into float32 for computing ("weight-only" quantisation, as
 * ONNX's DequantizeLinear → MatMul would run it). Embeddings, norms and biases stay float32.
 */
import { GptLM } from "../lm/gpt";
import { Rng } from "../random";
import { tf } from "../tf";

/** Symmetric per-column int8 quantisation of a [rows, cols] matrix.  → q [rows·cols], scales [cols] */
export function quantiseColumns(w: Float32Array, rows: number, cols: number): { q: Int8Array; scales: Float32Array } {
  const scales = new Float32Array(cols);
  for (let i = 0; i < rows * cols; i++) scales[i % cols] = Math.max(scales[i % cols]!, Math.abs(w[i]!));
  for (let c = 0; c < cols; c++) scales[c] = scales[c]! / 127 || 1; // an all-zero column keeps scale 1
  const q = Int8Array.from(w, (v, i) => Math.round(v / scales[i % cols]!));
  return { q, scales };
}

/** The float32 values int8 codes stand for: q · scale of their column. */
export function dequantiseColumns(q: Int8Array, scales: Float32Array): Float32Array {
  return Float32Array.from(q, (v, i) => v * scales[i % scales.length]!);
}

/**
 * A copy of `model` whose weight matrices (Wqkv, Wo, W1, W2, Whead) went through int8 and back,
 * and the bytes the weights would take: float32 as exported, and with those matrices in int8.
 */
export function int8WeightCopy(model: GptLM): { model: GptLM; float32Bytes: number; int8Bytes: number } {
  const copy = new GptLM(model.config, new Rng(0)); // any seed: every weight is replaced below
  const from = model.store.named, to = copy.store.named;
  let float32Bytes = 0, int8Bytes = 0;
  from.forEach(({ name, variable }, i) => {
    const values = variable.dataSync() as Float32Array;
    const isMatrix = variable.rank === 2 && !["wte", "wpe"].includes(name);
    float32Bytes += 4 * values.length;
    let kept = values;
    if (isMatrix) {
      const [rows, cols] = variable.shape as [number, number];
      const { q, scales } = quantiseColumns(values, rows, cols);
      kept = dequantiseColumns(q, scales);
      int8Bytes += q.length + 4 * scales.length;
    } else {
      int8Bytes += 4 * values.length;
    }
    tf.tidy(() => to[i]!.variable.assign(tf.tensor(kept, variable.shape)));
  });
  return { model: copy, float32Bytes, int8Bytes };
}
