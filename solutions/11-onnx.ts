/**
 * Lesson 11 — shipping a model: the pieces an exporter is made of, written as ONNX nodes with the
 * library's GraphBuilder. Each function adds nodes to `b` and returns the name of its result; the
 * grader runs the graphs you build in onnxruntime-node and compares them with TensorFlow.js.
 */
import { tf } from "@course/lib";
import type { GraphBuilder } from "@course/lib";

/**
 * A Dense layer y = x·W + bias as two nodes: MatMul(x, W), then Add(·, bias) — bias [out]
 * broadcasts over the rows. x, W, bias are value names.  x: [..., in] → [..., out]
 */
export function denseNodes(b: GraphBuilder, x: string, W: string, bias: string): string {
  // BEGIN SOLUTION exercise=11.dense section="3. A Dense layer as nodes"
  const product = b.op1("MatMul", [x, W]); // [..., out]
  return b.op1("Add", [product, bias]); // [..., out]
  // END SOLUTION
}

/**
 * Layer norm over the last axis with ONNX ops, the maths of lib/src/lm/gpt-layers.ts's layerNorm:
 *   mean = ReduceMean(x), d = x − mean, var = ReduceMean(d·d), y = d · 1/√(var + ε) · g + bias
 * ReduceMean takes attributes `axes: { ints: [-1] }` and `keepdims: { i: 1 }` in opset 17; ε is a
 * scalar initializer (b.scalar).  x: [..., C], g and bias: [C] → [..., C]
 */
export function layerNormNodes(b: GraphBuilder, x: string, g: string, bias: string, epsilon = 1e-5): string {
  // BEGIN SOLUTION exercise=11.layer-norm section="4. Layer norm as ONNX ops"
  const lastAxis = { axes: { ints: [-1] }, keepdims: { i: 1 } };
  const mean = b.op1("ReduceMean", [x], lastAxis); // [..., 1]
  const d = b.op1("Sub", [x, mean]); // [..., C]
  const variance = b.op1("ReduceMean", [b.op1("Mul", [d, d])], lastAxis); // [..., 1]
  const std = b.op1("Sqrt", [b.op1("Add", [variance, b.scalar(`${x}.eps`, epsilon)])]); // [..., 1]
  const normed = b.op1("Div", [d, std]); // [..., C]
  return b.op1("Add", [b.op1("Mul", [normed, g]), bias]); // [..., C]
  // END SOLUTION
}

/**
 * The additive causal mask for T positions, where T is a value name holding a 1-element int64
 * tensor [T] (a sequence length known only when the graph runs): 0 on and below the diagonal,
 * −1e9 above. Build a [T, T] block of ones (Concat the shape, ConstantOfShape with attribute
 * `value: { t: {name, dtype: "float32", dims: [1], data: Float32Array.of(1)} }`), keep its lower
 * triangle with Trilu (`upper: { i: 0 }`), then (1 − lower)·(−1e9).  → [T, T]
 */
export function causalMaskNodes(b: GraphBuilder, T: string): string {
  // BEGIN SOLUTION exercise=11.causal-mask section="5. The causal mask, for any T"
  const shape = b.op1("Concat", [T, T], { axis: { i: 0 } }); // [2]
  const one = { name: "one", dtype: "float32" as const, dims: [1], data: Float32Array.of(1) };
  const ones = b.op1("ConstantOfShape", [shape], { value: { t: one } }); // [T, T]
  const lower = b.op1("Trilu", [ones], { upper: { i: 0 } }); // [T, T]
  const above = b.op1("Sub", [b.scalar(`${lower}.one`, 1), lower]); // [T, T]
  return b.op1("Mul", [above, b.scalar(`${lower}.big`, -1e9)]); // [T, T]
  // END SOLUTION
}

/**
 * A tfjs weight as an initializer: its values (a copy, row-major) and its shape, optionally
 * transposed by `perm` first — tfjs keeps conv-transpose weights as [kH, kW, out, in], ONNX's
 * ConvTranspose wants [in, out, kH, kW] (perm [3, 2, 0, 1]). Use b.floats(name, data, dims);
 * leave no tensor behind.  Returns the initializer's name.
 */
export function weightToInitializer(b: GraphBuilder, name: string, w: tf.Tensor, perm?: number[]): string {
  // BEGIN SOLUTION exercise=11.initializers section="6. tfjs weights as initializers"
  const moved = perm ? tf.transpose(w, perm) : w;
  const data = Float32Array.from(moved.dataSync());
  const dims = moved.shape.slice();
  if (moved !== w) moved.dispose();
  return b.floats(name, data, dims);
  // END SOLUTION
}
