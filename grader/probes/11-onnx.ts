/**
 * Probes for lesson 11: each builds a small ONNX graph with one exercise, serialises it with the
 * library's writer (which checks it first) and returns the bytes with the TensorFlow.js values the
 * graph must reproduce. The tests run the bytes in onnxruntime-node, outside the probe process.
 */
import { GraphBuilder, Rng, causalMask, layerNorm, serialiseModel, tf } from "@course/lib";
import type { LessonModule } from "@course/lib";

const normals = (rng: Rng, n: number, scale = 1) => Float32Array.from({ length: n }, () => scale * rng.normal());

/** The model's bytes and the ops of its nodes (the final Identity that names the output left out). */
function written(b: GraphBuilder): { onnx: Uint8Array; ops: string[] } {
  return { onnx: serialiseModel({ graph: b.graph(), opset: 17 }), ops: b.nodes.map((n) => n.op).slice(0, -1) };
}

export const probes = {
  dense: (m: LessonModule, input: { rows: number; fanIn: number; fanOut: number; seed: number }) => {
    const rng = new Rng(input.seed);
    const { rows, fanIn, fanOut } = input;
    const x = normals(rng, rows * fanIn), W = normals(rng, fanIn * fanOut, 0.3), bias = normals(rng, fanOut);
    const b = new GraphBuilder("dense");
    const y = m.denseNodes(b, b.input("x", "float32", ["batch", fanIn]), b.floats("W", W, [fanIn, fanOut]), b.floats("bias", bias, [fanOut]));
    b.output(y, "y", "float32", ["batch", fanOut]);
    const tfjs = tf.tidy(() => tf.tensor2d(x, [rows, fanIn]).matMul(tf.tensor2d(W, [fanIn, fanOut])).add(tf.tensor1d(bias)).dataSync());
    return { ...written(b), x, shape: [rows, fanIn], tfjs };
  },

  layerNorm: (m: LessonModule, input: { B: number; T: number; C: number; seed: number }) => {
    const rng = new Rng(input.seed);
    const { B, T, C } = input;
    const x = Float32Array.from(normals(rng, B * T * C), (v, i) => 3 * v + (i % C)), g = normals(rng, C), bias = normals(rng, C);
    const b = new GraphBuilder("layer-norm");
    const y = m.layerNormNodes(b, b.input("x", "float32", ["batch", "time", C]), b.floats("g", g, [C]), b.floats("bias", bias, [C]));
    b.output(y, "y", "float32", ["batch", "time", C]);
    const tfjs = tf.tidy(() => layerNorm(tf.tensor2d(x, [B * T, C]), tf.tensor1d(g), tf.tensor1d(bias)).dataSync());
    return { ...written(b), x, shape: [B, T, C], tfjs };
  },

  causalMask: (m: LessonModule, input: { sizes: number[] }) => {
    const b = new GraphBuilder("causal-mask");
    const mask = m.causalMaskNodes(b, b.input("T", "int64", [1]));
    b.output(mask, "mask", "float32", ["time", "time"]);
    const tfjs = input.sizes.map((T) => tf.tidy(() => causalMask(T).dataSync()));
    return { ...written(b), sizes: input.sizes, tfjs };
  },

  initializers: (m: LessonModule, input: { seed: number }) => {
    const rng = new Rng(input.seed);
    const dense = tf.tensor2d(normals(rng, 12), [3, 4]);
    const conv = tf.tensor4d(normals(rng, 4 * 4 * 2 * 3), [4, 4, 2, 3]); // [kH, kW, out, in]
    const b = new GraphBuilder("weights");
    const names = [m.weightToInitializer(b, "dense.w", dense), m.weightToInitializer(b, "up.w", conv, [3, 2, 0, 1])] as string[];
    b.output(names[0]!, "dense", "float32", [3, 4]);
    b.output(names[1]!, "up", "float32", [3, 2, 4, 4]);
    const tfjs = { dense: dense.dataSync(), up: tf.tidy(() => conv.transpose([3, 2, 0, 1]).dataSync()) };
    const initializers = b.initializers.map((t) => ({ name: t.name, dtype: t.dtype, dims: t.dims, data: Array.from(t.data as Float32Array) }));
    const copied = b.initializers[0]?.data !== dense.dataSync(); // not the tensor's own buffer
    tf.dispose([dense, conv]);
    return { ...written(b), names, initializers, tfjs, copied };
  },
};
