// Generated from solutions/11-onnx.ts by `npm run exercises`: the types `lesson("11")` returns. Do not edit.
/**
 * Lesson 11 — shipping a model: the pieces an exporter is made of, written as ONNX nodes with the
 * library's GraphBuilder. Each function adds nodes to `b` and returns the name of its result; the
 * grader runs the graphs you build in onnxruntime-node and compares them with TensorFlow.js.
 */
import type { tf } from "../index";
import type { GraphBuilder } from "../index";
/**
 * A Dense layer y = x·W + bias as two nodes: MatMul(x, W), then Add(·, bias) — bias [out]
 * broadcasts over the rows. x, W, bias are value names.  x: [..., in] → [..., out]
 */
export declare function denseNodes(b: GraphBuilder, x: string, W: string, bias: string): string;
/**
 * Layer norm over the last axis with ONNX ops, the maths of lib/src/lm/gpt-layers.ts's layerNorm:
 *   mean = ReduceMean(x), d = x − mean, var = ReduceMean(d·d), y = d · 1/√(var + ε) · g + bias
 * ReduceMean takes attributes `axes: { ints: [-1] }` and `keepdims: { i: 1 }` in opset 17; ε is a
 * scalar initializer (b.scalar).  x: [..., C], g and bias: [C] → [..., C]
 */
export declare function layerNormNodes(b: GraphBuilder, x: string, g: string, bias: string, epsilon?: number): string;
/**
 * The additive causal mask for T positions, where T is a value name holding a 1-element int64
 * tensor [T] (a sequence length known only when the graph runs): 0 on and below the diagonal,
 * −1e9 above. Build a [T, T] block of ones (Concat the shape, ConstantOfShape with attribute
 * `value: { t: {name, dtype: "float32", dims: [1], data: Float32Array.of(1)} }`), keep its lower
 * triangle with Trilu (`upper: { i: 0 }`), then (1 − lower)·(−1e9).  → [T, T]
 */
export declare function causalMaskNodes(b: GraphBuilder, T: string): string;
/**
 * A tfjs weight as an initializer: its values (a copy, row-major) and its shape, optionally
 * transposed by `perm` first — tfjs keeps conv-transpose weights as [kH, kW, out, in], ONNX's
 * ConvTranspose wants [in, out, kH, kW] (perm [3, 2, 0, 1]). Use b.floats(name, data, dims);
 * leave no tensor behind.  Returns the initializer's name.
 */
export declare function weightToInitializer(b: GraphBuilder, name: string, w: tf.Tensor, perm?: number[]): string;
