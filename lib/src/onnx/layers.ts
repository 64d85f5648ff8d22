/**
 * The building blocks of the course's exporters, each the ONNX twin of a tfjs function the
 * notebooks teach: a Dense layer as MatMul + Add, layer norm as ReduceMean/Sub/Mul/Sqrt, the
 * causal mask from Trilu, batch norm with batch statistics, and tfjs weights as initializers.
 * Each takes a GraphBuilder and value names, adds nodes, and returns the name of its result.
 */
import { tf } from "../tf";
import type { GraphBuilder } from "./graph";

/** The opset the course writes: 17 has LayerNormalization, Trilu and axes as attributes of ReduceMean. */
export const COURSE_OPSET = 17;

/** A tfjs tensor's values as a float32 initializer called `name` (same shape, row-major); returns the name. */
export function tensorToInitializer(b: GraphBuilder, name: string, t: tf.Tensor): string {
  if (t.dtype !== "float32") throw new Error(`tensorToInitializer(${name}): expected a float32 tensor, got ${t.dtype}.`);
  return b.floats(name, Float32Array.from(t.dataSync() as Float32Array), t.shape.slice());
}

/** A tfjs tensor transposed by `perm`, as an initializer (e.g. tfjs [kH, kW, out, in] conv weights → ONNX's [in, out, kH, kW]). */
export function transposedInitializer(b: GraphBuilder, name: string, t: tf.Tensor, perm: number[]): string {
  const moved = tf.tidy(() => tf.transpose(t, perm));
  try {
    return tensorToInitializer(b, name, moved);
  } finally {
    moved.dispose();
  }
}

/** A Dense layer: y = x·W + bias, one MatMul then one Add (broadcast over the rows).  x: [..., in] → [..., out] */
export function denseNodes(b: GraphBuilder, x: string, W: string, bias: string): string {
  return b.op1("Add", [b.op1("MatMul", [x, W]), bias]);
}

/**
 * Layer norm over the last axis, as lib/src/lm/gpt-layers.ts's layerNorm computes it:
 * d = x − mean(x), y = d · 1/√(mean(d²) + ε) · g + bias.  x: [..., C] → [..., C]
 */
export function layerNormNodes(b: GraphBuilder, x: string, g: string, bias: string, epsilon = 1e-5): string {
  const mean = b.op1("ReduceMean", [x], { axes: { ints: [-1] }, keepdims: { i: 1 } }); // [..., 1]
  const d = b.op1("Sub", [x, mean]); // [..., C]
  const variance = b.op1("ReduceMean", [b.op1("Mul", [d, d])], { axes: { ints: [-1] }, keepdims: { i: 1 } }); // [..., 1]
  const rstd = b.op1("Reciprocal", [b.op1("Sqrt", [b.op1("Add", [variance, b.scalar(`${x}.epsilon`, epsilon)])])]);
  return b.op1("Add", [b.op1("Mul", [b.op1("Mul", [d, rstd]), g]), bias]);
}

/**
 * The additive causal mask for a sequence of T positions (T a 1-element int64 value): ones of
 * shape [T, T], Trilu keeps the diagonal and below, then (1 − lower) · −1e9, as gpt-layers.ts's
 * causalMask does with bandPart.  → [T, T]
 */
export function causalMaskNodes(b: GraphBuilder, T: string): string {
  const shape = b.op1("Concat", [T, T], { axis: { i: 0 } }); // [2]: (T, T)
  const ones = b.op1("ConstantOfShape", [shape], { value: { t: { name: "one", dtype: "float32", dims: [1], data: Float32Array.of(1) } } }); // [T, T]
  const lower = b.op1("Trilu", [ones], { upper: { i: 0 } }); // [T, T]: 1 on and below the diagonal
  const above = b.op1("Sub", [b.scalar(`${lower}.one`, 1), lower]); // [T, T]: 1 above the diagonal
  return b.op1("Mul", [above, b.scalar(`${lower}.minusInf`, -1e9)]); // [T, T]
}

/**
 * Batch norm with batch statistics over every axis but the channels of an NCHW map (lib/src/nn's
 * batchNorm: no running averages), then gain and shift given as [1, C, 1, 1].  x: [B, C, H, W] → [B, C, H, W]
 */
export function batchNormNodes(b: GraphBuilder, x: string, gamma: string, beta: string, epsilon = 1e-5): string {
  const axes = { axes: { ints: [0, 2, 3] }, keepdims: { i: 1 } };
  const d = b.op1("Sub", [x, b.op1("ReduceMean", [x], axes)]); // [B, C, H, W]
  const variance = b.op1("ReduceMean", [b.op1("Mul", [d, d])], axes); // [1, C, 1, 1]
  const rstd = b.op1("Reciprocal", [b.op1("Sqrt", [b.op1("Add", [variance, b.scalar(`${x}.epsilon`, epsilon)])])]);
  return b.op1("Add", [b.op1("Mul", [b.op1("Mul", [d, rstd]), gamma]), beta]);
}
