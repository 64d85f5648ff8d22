/**
 * An OnnxModel → the bytes of an .onnx file: one ModelProto. Field numbers are onnx/onnx.proto's
 * (IR version 8, the IR of opsets 17 and 18), cited beside each write. Tensors go into raw_data as
 * little-endian bytes, the compact form onnxruntime reads fastest.
 */
import { checkModel } from "./check";
import { ONNX_DTYPES, type OnnxAttribute, type OnnxGraph, type OnnxModel, type OnnxNode, type OnnxTensor, type OnnxValueInfo } from "./graph";
import { ProtoWriter } from "./proto";

/** ModelProto.ir_version: 8, the IR of onnx 1.12–1.13, whose opsets go up to 17 and 18. */
export const IR_VERSION = 8;
/** AttributeProto.AttributeType numbers. */
const ATTRIBUTE_TYPE = { f: 1, i: 2, s: 3, t: 4, floats: 6, ints: 7 } as const;

/** TensorProto: dims = 1 (packed int64), data_type = 2, name = 8, raw_data = 9. */
function tensorProto(t: OnnxTensor): ProtoWriter {
  const raw = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength); // little-endian on every platform Node and browsers run on
  return new ProtoWriter().packedInts(1, t.dims).int(2, ONNX_DTYPES[t.dtype]).string(8, t.name).bytes(9, raw);
}

/** AttributeProto: name = 1, f = 2, i = 3, s = 4, t = 5, floats = 7, ints = 8, type = 20. */
function attributeProto(name: string, a: OnnxAttribute): ProtoWriter {
  const w = new ProtoWriter().string(1, name);
  if ("f" in a) w.float(2, a.f).int(20, ATTRIBUTE_TYPE.f);
  else if ("i" in a) w.int(3, a.i).int(20, ATTRIBUTE_TYPE.i);
  else if ("s" in a) w.string(4, a.s).int(20, ATTRIBUTE_TYPE.s);
  else if ("t" in a) w.message(5, tensorProto(a.t)).int(20, ATTRIBUTE_TYPE.t);
  else if ("floats" in a) { for (const f of a.floats) w.float(7, f); w.int(20, ATTRIBUTE_TYPE.floats); }
  else { w.packedInts(8, a.ints).int(20, ATTRIBUTE_TYPE.ints); }
  return w;
}

/** NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5. */
function nodeProto(n: OnnxNode): ProtoWriter {
  const w = new ProtoWriter();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name).string(4, n.op);
  for (const [name, a] of Object.entries(n.attrs ?? {})) w.message(5, attributeProto(name, a));
  return w;
}

/**
 * ValueInfoProto: name = 1, type = 2 → TypeProto.tensor_type = 1 → TypeProto.Tensor: elem_type = 1,
 * shape = 2 → TensorShapeProto.dim = 1 → Dimension: dim_value = 1 or dim_param = 2.
 */
function valueInfoProto(v: OnnxValueInfo): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of v.shape) shape.message(1, typeof d === "number" ? new ProtoWriter().int(1, d) : new ProtoWriter().string(2, d));
  const tensorType = new ProtoWriter().int(1, ONNX_DTYPES[v.dtype]).message(2, shape);
  return new ProtoWriter().string(1, v.name).message(2, new ProtoWriter().message(1, tensorType));
}

/** GraphProto: node = 1, name = 2, initializer = 5, input = 11, output = 12. */
function graphProto(g: OnnxGraph): ProtoWriter {
  const w = new ProtoWriter();
  for (const n of g.nodes) w.message(1, nodeProto(n));
  w.string(2, g.name);
  for (const t of g.initializers) w.message(5, tensorProto(t));
  for (const i of g.inputs) w.message(11, valueInfoProto(i));
  for (const o of g.outputs) w.message(12, valueInfoProto(o));
  return w;
}

/**
 * Check `model` (checkModel: names, initializers, operators, dtypes), then serialise it.
 * ModelProto: ir_version = 1, producer_name = 2, producer_version = 3, doc_string = 6, graph = 7,
 * opset_import = 8 → OperatorSetIdProto: domain = 1 ("" is ai.onnx), version = 2.
 */
export function serialiseModel(model: OnnxModel): Uint8Array {
  checkModel(model);
  const w = new ProtoWriter().int(1, IR_VERSION).string(2, "genai-in-typescript").string(3, "1");
  if (model.doc) w.string(6, model.doc);
  w.message(7, graphProto(model.graph));
  w.message(8, new ProtoWriter().string(1, "").int(2, model.opset));
  return w.finish();
}
