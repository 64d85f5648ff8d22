/**
 * The check run before a graph is written: every value is defined once and before it is used,
 * every initializer holds as many values as its dims say in the array type of its dtype, every
 * operator is one the checker knows, and dtypes are followed through the graph (an Add of int64
 * and float32, or an output declared float32 that is int64, fails here — not later, as a cryptic
 * error inside onnxruntime). Shapes of weights are checked by the exporters against the model.
 */
import { CourseError } from "../errors";
import type { OnnxDType, OnnxModel, OnnxNode, OnnxTensor } from "./graph";

interface OpRule {
  /** How many leading inputs must share one dtype (the output's, unless `out` says otherwise). */
  same: number;
  /** Whether those inputs must be float32. */
  float?: boolean;
  /** Inputs (by position) that must be int64 (shapes, axes, starts/ends). */
  int64At?: number[];
  /** Inputs (by position) that must be int32 or int64 (indices). */
  indexAt?: number[];
  /** The output dtype when it is not the first input's. */
  out?: OnnxDType;
}

const unary: OpRule = { same: 1 };
const binaryFloat: OpRule = { same: 2, float: true };
/** The operators the course's exporters use, opset 17 semantics. */
export const OP_RULES: Record<string, OpRule> = {
  Identity: unary, Relu: unary, Tanh: unary, Sqrt: unary, Reciprocal: unary, Neg: unary, Softmax: { same: 1, float: true },
  Transpose: unary, Trilu: { same: 1, int64At: [1] }, ReduceMean: { same: 1, float: true },
  Add: binaryFloat, Sub: binaryFloat, Mul: binaryFloat, Div: binaryFloat, MatMul: binaryFloat,
  Reshape: { same: 1, int64At: [1] }, Slice: { same: 1, int64At: [1, 2, 3, 4] }, Unsqueeze: { same: 1, int64At: [1] },
  Concat: { same: Infinity }, Split: { same: 1, int64At: [1] }, Gather: { same: 1, indexAt: [1] },
  Shape: { same: 1, out: "int64" }, ConstantOfShape: { same: 0, int64At: [0], out: "float32" },
  OneHot: { same: 0, indexAt: [0, 1], out: "float32" }, ConvTranspose: { same: 3, float: true }, Conv: { same: 3, float: true },
};

const ARRAY_OF: Record<OnnxDType, string> = { float32: "Float32Array", int32: "Int32Array", int64: "BigInt64Array", bool: "Uint8Array" };

function checkTensor(t: OnnxTensor, problems: string[]): void {
  if (!t.dims.every((d) => Number.isInteger(d) && d >= 0)) problems.push(`initializer "${t.name}": dims [${t.dims}] must be integers ≥ 0`);
  const size = t.dims.reduce((a, b) => a * b, 1);
  if (t.data.length !== size) problems.push(`initializer "${t.name}": dims [${t.dims}] need ${size} values, it holds ${t.data.length}`);
  if (t.data.constructor.name !== ARRAY_OF[t.dtype]) problems.push(`initializer "${t.name}": a ${t.dtype} tensor needs a ${ARRAY_OF[t.dtype]}, got ${t.data.constructor.name}`);
  if (t.dtype === "float32" && !(t.data as Float32Array).every(Number.isFinite)) problems.push(`initializer "${t.name}" holds NaN or ±Infinity`);
}

/** The dtypes of one node's outputs, or a problem. */
function nodeDtype(node: OnnxNode, ins: (OnnxDType | undefined)[], problems: string[]): OnnxDType | undefined {
  const rule = OP_RULES[node.op];
  const where = `node ${node.name} (${node.op})`;
  if (!rule) {
    problems.push(`${where}: the checker does not know this operator; add its rule to OP_RULES in lib/src/onnx/check.ts`);
    return undefined;
  }
  const shared = ins.slice(0, Math.min(rule.same, ins.length)).filter((d) => d !== undefined);
  if (new Set(shared).size > 1) problems.push(`${where}: inputs ${node.inputs.slice(0, shared.length).join(", ")} must share one dtype, got ${shared.join(", ")}`);
  if (rule.float && shared.some((d) => d !== "float32")) problems.push(`${where}: needs float32 inputs, got ${shared.join(", ")}`);
  for (const k of rule.int64At ?? []) if (ins[k] !== undefined && ins[k] !== "int64") problems.push(`${where}: input ${k} (${node.inputs[k]}) must be int64, got ${ins[k]}`);
  for (const k of rule.indexAt ?? []) if (ins[k] !== undefined && ins[k] !== "int32" && ins[k] !== "int64") problems.push(`${where}: input ${k} (${node.inputs[k]}) must be int32 or int64 indices, got ${ins[k]}`);
  return rule.out ?? ins[0];
}

/** Throws a CourseError listing every problem found in `model`; returns the dtype of every value otherwise. */
export function checkModel(model: OnnxModel): Map<string, OnnxDType> {
  const { graph } = model;
  const problems: string[] = [];
  if (!(Number.isInteger(model.opset) && model.opset >= 13 && model.opset <= 21)) problems.push(`opset ${model.opset}: the exporters are written for opsets 13–21 (17 is the course's)`);
  const dtypes = new Map<string, OnnxDType>();
  const define = (name: string, dtype: OnnxDType | undefined, what: string) => {
    if (dtypes.has(name)) problems.push(`${what}: the value name "${name}" is defined twice`);
    if (dtype) dtypes.set(name, dtype);
  };
  for (const i of graph.inputs) {
    if (!i.shape.every((d) => (typeof d === "number" && Number.isInteger(d) && d > 0) || (typeof d === "string" && d.length > 0))) {
      problems.push(`input "${i.name}": shape [${i.shape}] must hold integers > 0 or names of dynamic sizes`);
    }
    define(i.name, i.dtype, `input "${i.name}"`);
  }
  for (const t of graph.initializers) { checkTensor(t, problems); define(t.name, t.dtype, `initializer "${t.name}"`); }
  for (const node of graph.nodes) {
    const missing = node.inputs.filter((n) => n !== "" && !dtypes.has(n));
    if (missing.length) problems.push(`node ${node.name} (${node.op}) reads ${missing.join(", ")} before anything defines it (nodes must be in order)`);
    const dtype = nodeDtype(node, node.inputs.map((n) => dtypes.get(n)), problems);
    for (const out of node.outputs) define(out, dtype, `node ${node.name}`);
  }
  for (const o of graph.outputs) {
    const got = dtypes.get(o.name);
    if (!got) problems.push(`output "${o.name}" is not produced by any node`);
    else if (got !== o.dtype) problems.push(`output "${o.name}" is declared ${o.dtype} but the graph makes ${got}`);
  }
  if (problems.length) throw new CourseError(`The ONNX graph "${graph.name}" is not ready to write:\n  - ${problems.join("\n  - ")}`);
  return dtypes;
}
