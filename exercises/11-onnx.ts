// Exercise file generated from solutions/11-onnx.ts by `npm run exercises`.
// Replace each TODO + throw with your code; `npm run grade` checks it. The generator never
// overwrites this file once you have changed it.
/**
 * Lesson 11 — shipping a model: the pieces an exporter is made of, written as ONNX nodes with the
 * library's GraphBuilder. Each function adds nodes to `b` and returns the name of its result; the
 * grader runs the graphs you build in onnxruntime-node and compares them with TensorFlow.js.
 */
import { NotImplementedError, tf } from "@course/lib";
import type { GraphBuilder } from "@course/lib";

/**
 * A Dense layer y = x·W + bias as two nodes: MatMul(x, W), then Add(·, bias) — bias [out]
 * broadcasts over the rows. x, W, bias are value names.  x: [..., in] → [..., out]
 */
export function denseNodes(b: GraphBuilder, x: string, W: string, bias: string): string {
  // TODO(11.dense): write denseNodes — notebooks/11-onnx.ipynb, section "3. A Dense layer as nodes" explains it.
  throw new NotImplementedError("11.dense", "exercises/11-onnx.ts", "denseNodes", "notebooks/11-onnx.ipynb, section \"3. A Dense layer as nodes\"");
}

/**
 * Layer norm over the last axis with ONNX ops, the maths of lib/src/lm/gpt-layers.ts's layerNorm:
 *   mean = ReduceMean(x), d = x − mean, var = ReduceMean(d·d), y = d · 1/√(var + ε) · g + bias
 * ReduceMean takes attributes `axes: { ints: [-1] }` and `keepdims: { i: 1 }` in opset 17; ε is a
 * scalar initializer (b.scalar).  x: [..., C], g and bias: [C] → [..., C]
 */
export function layerNormNodes(b: GraphBuilder, x: string, g: string, bias: string, epsilon = 1e-5): string {
  // TODO(11.layer-norm): write layerNormNodes — notebooks/11-onnx.ipynb, section "4. Layer norm as ONNX ops" explains it.
  throw new NotImplementedError("11.layer-norm", "exercises/11-onnx.ts", "layerNormNodes", "notebooks/11-onnx.ipynb, section \"4. Layer norm as ONNX ops\"");
}

/**
 * The additive causal mask for T positions, where T is a value name holding a 1-element int64
 * tensor [T] (a sequence length known only when the graph runs): 0 on and below the diagonal,
 * −1e9 above. Build a [T, T] block of ones (Concat the shape, ConstantOfShape with attribute
 * `value: { t: {name, dtype: "float32", dims: [1], data: Float32Array.of(1)} }`), keep its lower
 * triangle with Trilu (`upper: { i: 0 }`), then (1 − lower)·(−1e9).  → [T, T]
 */
export function causalMaskNodes(b: GraphBuilder, T: string): string {
  // TODO(11.causal-mask): write causalMaskNodes — notebooks/11-onnx.ipynb, section "5. The causal mask, for any T" explains it.
  throw new NotImplementedError("11.causal-mask", "exercises/11-onnx.ts", "causalMaskNodes", "notebooks/11-onnx.ipynb, section \"5. The causal mask, for any T\"");
}

/**
 * A tfjs weight as an initializer: its values (a copy, row-major) and its shape, optionally
 * transposed by `perm` first — tfjs keeps conv-transpose weights as [kH, kW, out, in], ONNX's
 * ConvTranspose wants [in, out, kH, kW] (perm [3, 2, 0, 1]). Use b.floats(name, data, dims);
 * leave no tensor behind.  Returns the initializer's name.
 */
export function weightToInitializer(b: GraphBuilder, name: string, w: tf.Tensor, perm?: number[]): string {
  // TODO(11.initializers): write weightToInitializer — notebooks/11-onnx.ipynb, section "6. tfjs weights as initializers" explains it.
  throw new NotImplementedError("11.initializers", "exercises/11-onnx.ts", "weightToInitializer", "notebooks/11-onnx.ipynb, section \"6. tfjs weights as initializers\"");
}
