/**
 * Lesson 07's (conditional) GAN generator as an ONNX graph, from its own weights and the plain
 * maths of gan/models.ts: one-hot label joined to z, dense to 7·7·C, batch norm (batch
 * statistics, as the course samples) + ReLU, two 4×4 stride-2 transposed convolutions, tanh.
 * ONNX convolutions run on NCHW maps, so the graph moves to NCHW after the dense layer and back to
 * the course's NHWC at the end. Inputs "z" [batch, Z] float32 and (conditional) "labels" [batch]
 * int32; output "images" [batch, 28, 28, 1] in [−1, 1].
 */
import { assertShape, CourseError } from "../errors";
import type { Gan } from "../gan/gan";
import { tf } from "../tf";
import { GraphBuilder, type OnnxModel } from "./graph";
import { COURSE_OPSET, batchNormNodes, tensorToInitializer, transposedInitializer } from "./layers";

/** The generator's weights by name, each checked against the config's shape. */
function generatorWeights(gan: Gan): (name: string) => tf.Variable {
  const { zDim: Z, gChannels: C, classes: K } = gan.config;
  const want: Record<string, number[]> = {
    "g.fc.w": [Z + K, 7 * 7 * C], "g.bn0.gamma": [C], "g.bn0.beta": [C], "g.up1.w": [4, 4, C / 2, C],
    "g.bn1.gamma": [C / 2], "g.bn1.beta": [C / 2], "g.up2.w": [4, 4, 1, C / 2], "g.up2.b": [1],
  };
  const byName = new Map(gan.params.named.map((e) => [e.name, e.variable]));
  for (const [name, shape] of Object.entries(want)) {
    const v = byName.get(name);
    if (!v) throw new CourseError(`exportGanGenerator(): the GAN has no parameter "${name}"; expected lesson 07's Generator.`);
    assertShape(v.shape, shape, name);
  }
  return (name) => byName.get(name)!;
}

/** A per-channel vector [C] as a [1, C, 1, 1] initializer, to broadcast over NCHW maps. */
function channelInitializer(b: GraphBuilder, name: string, v: tf.Variable): string {
  const r = tf.tidy(() => v.reshape([1, v.shape[0]!, 1, 1]));
  try {
    return tensorToInitializer(b, name, r);
  } finally {
    r.dispose();
  }
}

/** A 4×4 stride-2 transposed convolution with 'same' padding (one row/column each side): [B, Cin, H, W] → [B, Cout, 2H, 2W]. */
function upNodes(b: GraphBuilder, x: string, w: tf.Variable, name: string, bias?: string): string {
  const W = transposedInitializer(b, `${name}.w`, w, [3, 2, 0, 1]); // tfjs [kH, kW, out, in] → ONNX [in, out, kH, kW]
  const attrs = { kernel_shape: { ints: [4, 4] }, strides: { ints: [2, 2] }, pads: { ints: [1, 1, 1, 1] } };
  return b.op1("ConvTranspose", bias ? [x, W, bias] : [x, W], attrs);
}

/** The generator of `gan` as an ONNX model (opset 17): z [batch, Z] (+ labels [batch]) → images [batch, 28, 28, 1]. */
export function exportGanGenerator(gan: Gan): OnnxModel {
  const w = generatorWeights(gan);
  const { zDim: Z, gChannels: C, classes: K } = gan.config;
  const b = new GraphBuilder("gan-generator");
  let input = b.input("z", "float32", ["batch", Z]); // [B, Z]
  if (K > 0) {
    const eye = b.floats("labels.eye", Float32Array.from({ length: K * K }, (_, i) => (i % (K + 1) === 0 ? 1 : 0)), [K, K]);
    const oneHot = b.op1("Gather", [eye, b.input("labels", "int32", ["batch"])]); // [B, K]: row `label` of the identity
    input = b.op1("Concat", [input, oneHot], { axis: { i: 1 } }); // [B, Z + K]
  }
  const fc = b.op1("MatMul", [input, tensorToInitializer(b, "g.fc.w", w("g.fc.w"))]); // [B, 7·7·C] (no bias: BN's shift replaces it)
  const nhwc = b.op1("Reshape", [fc, b.int64s("g.fc.shape", [-1, 7, 7, C])]); // [B, 7, 7, C]
  const nchw = b.op1("Transpose", [nhwc], { perm: { ints: [0, 3, 1, 2] } }); // [B, C, 7, 7]
  const h0 = b.op1("Relu", [batchNormNodes(b, nchw, channelInitializer(b, "g.bn0.gamma", w("g.bn0.gamma")), channelInitializer(b, "g.bn0.beta", w("g.bn0.beta")))]);
  const up1 = upNodes(b, h0, w("g.up1.w"), "g.up1"); // [B, C/2, 14, 14]
  const h1 = b.op1("Relu", [batchNormNodes(b, up1, channelInitializer(b, "g.bn1.gamma", w("g.bn1.gamma")), channelInitializer(b, "g.bn1.beta", w("g.bn1.beta")))]);
  const up2 = upNodes(b, h1, w("g.up2.w"), "g.up2", tensorToInitializer(b, "g.up2.b", w("g.up2.b"))); // [B, 1, 28, 28]
  const images = b.op1("Transpose", [b.op1("Tanh", [up2])], { perm: { ints: [0, 2, 3, 1] } }); // [B, 28, 28, 1]
  b.output(images, "images", "float32", ["batch", 28, 28, 1]);
  return { graph: b.graph(), opset: COURSE_OPSET, doc: `GAN generator (lesson 07): Z ${Z}, C ${C}, ${K} classes; batch norm uses the batch's statistics` };
}

