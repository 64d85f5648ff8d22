/**
 * An ONNX graph as plain data, and a builder that names values for you. A graph is a list of
 * nodes (an operator such as MatMul, its input and output value names, its attributes), the
 * initializers (named constant tensors: the trained weights), and the graph's inputs and outputs
 * with their dtypes and shapes (a string dimension such as "batch" is dynamic).
 */

/** The element types the course writes (TensorProto.DataType numbers in onnx.proto). */
export const ONNX_DTYPES = { float32: 1, int32: 6, int64: 7, bool: 9 } as const;
export type OnnxDType = keyof typeof ONNX_DTYPES;

/** A constant tensor: an initializer, or the value of a tensor attribute. */
export interface OnnxTensor {
  name: string;
  dtype: OnnxDType;
  dims: number[];
  /** Row-major values: Float32Array for float32, Int32Array for int32, BigInt64Array for int64, Uint8Array for bool. */
  data: Float32Array | Int32Array | BigInt64Array | Uint8Array;
}

/** A graph input or output: its name, dtype and shape (numbers fixed, strings dynamic). */
export interface OnnxValueInfo {
  name: string;
  dtype: OnnxDType;
  shape: (number | string)[];
}

/** One attribute value; the key says its ONNX type (AttributeProto.type). */
export type OnnxAttribute = { i: number } | { f: number } | { ints: number[] } | { floats: number[] } | { s: string } | { t: OnnxTensor };

export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  name: string;
  attrs?: Record<string, OnnxAttribute>;
}

export interface OnnxGraph {
  name: string;
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
}

export interface OnnxModel {
  graph: OnnxGraph;
  /** Version of the default ("ai.onnx") operator set the nodes follow. */
  opset: number;
  /** Free text stored as the model's doc_string. */
  doc?: string;
}

/** Builds a graph node by node; every op() returns the names of its outputs. */
export class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  readonly inputs: OnnxValueInfo[] = [];
  readonly outputs: OnnxValueInfo[] = [];
  private count = 0;

  constructor(readonly name: string) {}

  /** Declare a graph input; returns its name. */
  input(name: string, dtype: OnnxDType, shape: (number | string)[]): string {
    this.inputs.push({ name, dtype, shape });
    return name;
  }

  /** Declare `value` (an existing value's name) as a graph output called `name`. */
  output(value: string, name: string, dtype: OnnxDType, shape: (number | string)[]): void {
    this.op("Identity", [value], {}, [name]);
    this.outputs.push({ name, dtype, shape });
  }

  /** A float32 initializer (a weight); returns its name. */
  floats(name: string, data: Float32Array, dims: number[]): string {
    this.initializers.push({ name, dtype: "float32", dims, data });
    return name;
  }

  /** An int64 initializer (shapes, axes, indices); returns its name. */
  int64s(name: string, values: readonly number[], dims: number[] = [values.length]): string {
    this.initializers.push({ name, dtype: "int64", dims, data: BigInt64Array.from(values, (v) => BigInt(v)) });
    return name;
  }

  /** A float32 scalar constant; returns its name. */
  scalar(name: string, value: number): string {
    return this.floats(name, Float32Array.of(value), []);
  }

  /** Add a node; its outputs are named `${op}_${n}` unless `outputs` names them. */
  op(op: string, inputs: string[], attrs: Record<string, OnnxAttribute> = {}, outputs: string[] | number = 1): string[] {
    const n = this.count++;
    const names = typeof outputs === "number" ? Array.from({ length: outputs }, (_, k) => `${op}_${n}${outputs > 1 ? `_${k}` : ""}`) : outputs;
    this.nodes.push({ op, inputs, outputs: names, name: `${op}_${n}`, attrs });
    return names;
  }

  /** Add a node with one output and return that output's name. */
  op1(op: string, inputs: string[], attrs: Record<string, OnnxAttribute> = {}): string {
    return this.op(op, inputs, attrs)[0]!;
  }

  graph(): OnnxGraph {
    return { name: this.name, nodes: this.nodes, initializers: this.initializers, inputs: this.inputs, outputs: this.outputs };
  }
}
