import { describe, expect } from "vitest";
import { loadOrt } from "@course/lib";
import { exercisesOf, expectClose, graded, probe, probeTargetOnly } from "../harness/index.ts";

const probes = new URL("../probes/11-onnx.ts", import.meta.url);
const ex = exercisesOf("11", "notebooks/11-onnx.ipynb");

const dense = ex("dense", 2, "3. A Dense layer as nodes");
const norm = ex("layer-norm", 2, "4. Layer norm as ONNX ops");
const mask = ex("causal-mask", 2, "5. The causal mask, for any T");
const inits = ex("initializers", 2, "6. tfjs weights as initializers");

interface Written { onnx: number[]; ops: string[] }
type Dense = Written & { x: number[]; shape: number[]; tfjs: number[] };
type Mask = Written & { sizes: number[]; tfjs: number[][] };
type Inits = Written & { names: string[]; initializers: { name: string; dtype: string; dims: number[]; data: number[] }[]; tfjs: { dense: number[]; up: number[] }; copied: boolean };

/** Run serialised model bytes in onnxruntime-node (here, in the grader's process, not the probe's) and return its outputs' values. */
async function run(onnx: number[], feeds: Record<string, { type: "float32" | "int64"; data: number[]; dims: number[] }>): Promise<Record<string, number[]>> {
  const ort = await loadOrt();
  const session = await ort.InferenceSession.create(Uint8Array.from(onnx));
  const tensors = Object.fromEntries(Object.entries(feeds).map(([k, f]) => [k, f.type === "int64"
    ? new ort.Tensor("int64", BigInt64Array.from(f.data, (v) => BigInt(v)), f.dims)
    : new ort.Tensor("float32", Float32Array.from(f.data), f.dims)]));
  const out = await session.run(tensors);
  return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, Array.from(t.data as Float32Array)]));
}

describe("lesson 11: shipping a model to ONNX", () => {
  graded(dense, "the Dense graph runs in onnxruntime and gives the reference's values and x·W + b", async () => {
    const r = await probe<Dense>("11", probes, "dense", { rows: 5, fanIn: 6, fanOut: 3, seed: 1 });
    const actual = await run(r.actual.onnx, { x: { type: "float32", data: r.actual.x, dims: r.actual.shape } });
    const expected = await run(r.expected.onnx, { x: { type: "float32", data: r.expected.x, dims: r.expected.shape } });
    expectClose(actual.y, expected.y, { rtol: 1e-5, atol: 1e-5, what: "denseNodes' graph in onnxruntime vs the reference's" });
    expectClose(actual.y, r.actual.tfjs, { rtol: 1e-5, atol: 1e-5, what: "denseNodes' graph vs tf.matMul(x, W).add(b)" });
  });
  graded(dense, "is exactly two nodes, MatMul then Add, and works for any number of rows", async () => {
    const r = await probeTargetOnly<Dense>("11", probes, "dense", { rows: 1, fanIn: 4, fanOut: 7, seed: 2 });
    expect(r.actual.ops, "the ops denseNodes adds").toEqual(["MatMul", "Add"]);
    const y = await run(r.actual.onnx, { x: { type: "float32", data: r.actual.x, dims: r.actual.shape } });
    expectClose(y.y, r.actual.tfjs, { rtol: 1e-5, atol: 1e-5, what: "one row through the Dense graph" });
  });

  graded(norm, "layer norm of a [2, 5, 8] batch matches the reference and gpt-layers.ts's layerNorm within 1e-5", async () => {
    const r = await probe<Dense>("11", probes, "layerNorm", { B: 2, T: 5, C: 8, seed: 3 });
    const actual = await run(r.actual.onnx, { x: { type: "float32", data: r.actual.x, dims: r.actual.shape } });
    const expected = await run(r.expected.onnx, { x: { type: "float32", data: r.expected.x, dims: r.expected.shape } });
    expectClose(actual.y, expected.y, { rtol: 1e-5, atol: 1e-5, what: "layerNormNodes' graph vs the reference's" });
    expectClose(actual.y, r.actual.tfjs, { rtol: 1e-5, atol: 1e-5, what: "layerNormNodes' graph vs the library's layerNorm" });
  });
  graded(norm, "normalises over the last axis only, for other batch and sequence sizes", async () => {
    const r = await probeTargetOnly<Dense>("11", probes, "layerNorm", { B: 3, T: 1, C: 16, seed: 4 });
    const y = await run(r.actual.onnx, { x: { type: "float32", data: r.actual.x, dims: r.actual.shape } });
    expectClose(y.y, r.actual.tfjs, { rtol: 1e-5, atol: 1e-5, what: "layer norm of [3, 1, 16] (the statistics of each row of 16, not of the batch)" });
  });

  graded(mask, "the mask graph gives gpt-layers.ts's causalMask for T = 1, 4 and 9 from one graph", async () => {
    const r = await probe<Mask>("11", probes, "causalMask", { sizes: [1, 4, 9] });
    for (const [i, T] of r.actual.sizes.entries()) {
      const got = await run(r.actual.onnx, { T: { type: "int64", data: [T], dims: [1] } });
      const want = await run(r.expected.onnx, { T: { type: "int64", data: [T], dims: [1] } });
      expectClose(got.mask, want.mask, { rtol: 0, atol: 1e-3, what: `causal mask [${T}, ${T}] vs the reference's` });
      expectClose(got.mask, r.actual.tfjs[i]!, { rtol: 0, atol: 1e-3, what: `causal mask [${T}, ${T}] vs causalMask(${T})` });
    }
  });
  graded(mask, "0 on and below the diagonal, −1e9 above it, for T = 64", async () => {
    const r = await probeTargetOnly<Mask>("11", probes, "causalMask", { sizes: [64] });
    const m = (await run(r.actual.onnx, { T: { type: "int64", data: [64], dims: [1] } })).mask!;
    expect(m, "a [64, 64] mask").toHaveLength(64 * 64);
    const wrong = m.findIndex((v, i) => (i % 64 > Math.floor(i / 64) ? v !== -1e9 && Math.abs(v + 1e9) > 1e3 : v !== 0));
    expect(wrong, wrong < 0 ? "" : `entry (${Math.floor(wrong / 64)}, ${wrong % 64}) is ${m[wrong]}`).toBe(-1);
  });

  graded(inits, "initializers hold the weights' values and ONNX's layout: a dense [3, 4] as is, a conv-transpose weight permuted to [in, out, kH, kW]", async () => {
    const r = await probe<Inits>("11", probes, "initializers", { seed: 5 });
    expectClose(r.actual.initializers, r.expected.initializers, { rtol: 0, atol: 0, what: "the two initializers (name, dtype, dims, data)" });
    const out = await run(r.actual.onnx, {});
    expectClose(out.dense, r.actual.tfjs.dense, { rtol: 0, atol: 0, what: "the dense weight read back from the .onnx file" });
    expectClose(out.up, r.actual.tfjs.up, { rtol: 0, atol: 0, what: "the conv-transpose weight read back, transposed by [3, 2, 0, 1]" });
  });
  graded(inits, "returns the initializer names, copies the values and leaves no tensor behind", async () => {
    const r = await probeTargetOnly<Inits>("11", probes, "initializers", { seed: 6 });
    expect(r.actual.names, "the names returned").toEqual(["dense.w", "up.w"]);
    expect(r.actual.copied, "the initializer holds a copy, not the tensor's own buffer").toBe(true);
    expect(r.leakedTensors, "tensors left behind (dispose the transposed copy)").toBe(0);
  });
});
