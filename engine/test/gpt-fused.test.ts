/**
 * The fused GPT pieces (engine/src/fused/gpt.ts, engine/src/wasmGpt.ts) against the plain functions
 * of the library's gpt-layers.ts: values and gradients on wasm (fused) against cpu (plain), against
 * wasm with the speed work off, and against the plain functions on wasm itself; odd shapes; fewer
 * kernels; GptLM the same on cpu and wasm; no leaked tensors. Each fused piece runs as the seam
 * runs it (helpers' `whenFused`): fused while fusedWasmActive(), the plain function otherwise.
 */
import { describe, expect, it } from "vitest";
import {
  fastGptBlock as fusedBlock, fusedBiasAdd as fusedAdd, fusedBiasRelu as fusedAddRelu,
  fusedCausalAttention as fusedAttention, fusedCausalSoftmax as fusedSoftmax, fusedLayerNorm as fusedNorm,
  fusedWasmActive as fusedGptActive, setWasmSpeedups,
} from "@course/engine";
import {
  GptLM, Rng, causalAttention, causalMask, gptBlock, initGptBlock, layerNorm, tf, trainLM, type GptBlockParams,
} from "@course/lib";
import { outputAndGrads, randomData, relErr, wasmVsCpu, whenFused, type Fn, useFusedWasm } from "./helpers/wasm-vs-cpu.ts";

const plainSoftmax = (s: tf.Tensor4D, scale: number): tf.Tensor4D =>
  tf.tidy(() => tf.softmax(s.mul(scale).add(causalMask(s.shape[3]))) as tf.Tensor4D);
const fusedLayerNorm = whenFused(fusedNorm, layerNorm);
const fusedCausalSoftmax = whenFused(fusedSoftmax, plainSoftmax);
const fusedCausalAttention = whenFused(fusedAttention, causalAttention);
const fusedBiasAdd = whenFused(fusedAdd, (x: tf.Tensor2D, b: tf.Tensor1D) => x.add(b) as tf.Tensor2D);
const fusedBiasRelu = whenFused(fusedAddRelu, (x: tf.Tensor2D, b: tf.Tensor1D) => tf.relu(x.add(b)) as tf.Tensor2D);
const fastGptBlock = whenFused(fusedBlock, gptBlock);

const TOLERANCE = 1e-4;
type T1 = tf.Tensor1D;
type T2 = tf.Tensor2D;
type T4 = tf.Tensor4D;

/** Worst relative error of f against g, both on the current backend. */
function sameAs(f: Fn, g: Fn, shapes: number[][]): number {
  const data = randomData(shapes, 5);
  const got = outputAndGrads(f, shapes, data);
  const want = outputAndGrads(g, shapes, data);
  return Math.max(...want.map((w, i) => relErr(got[i] as Float32Array, w)));
}

/** One block's parameters from flat inputs, so that their gradients are checked too. */
const BLOCK_KEYS = ["ln1g", "ln1b", "Wqkv", "bqkv", "Wo", "bo", "ln2g", "ln2b", "W1", "b1", "W2", "b2"] as const;
function blockShapes(C: number): number[][] {
  return [[C], [C], [C, 3 * C], [3 * C], [C, C], [C], [C], [C], [C, 4 * C], [4 * C], [4 * C, C], [C]];
}
const asBlock = (ts: tf.Tensor[]): GptBlockParams =>
  Object.fromEntries(BLOCK_KEYS.map((k, i) => [k, ts[i]])) as unknown as GptBlockParams;

const CASES = {
  layerNorm: [[[5, 7]], [[1, 3]], [[33, 64]]] as number[][][],
  softmax: [[2, 3, 5, 5], [1, 1, 1, 1], [3, 2, 17, 17]],
  bias: [[5, 7], [1, 1], [31, 256]],
  block: [[2, 5, 8, 2], [1, 1, 6, 3], [3, 7, 12, 4]], // B, T, C, heads
};

type T = tf.Tensor;
/** Each piece as [fused, composed]. */
const fns = {
  layerNorm: [(x: T, g: T, b: T) => fusedLayerNorm(x as T2, g as T1, b as T1), (x: T, g: T, b: T) => layerNorm(x as T2, g as T1, b as T1)],
  softmax: [(s: T) => fusedCausalSoftmax(s as T4, 0.37), (s: T) => tf.softmax(s.mul(0.37).add(causalMask(s.shape[3] as number)))],
  attention: [
    (q: T, k: T, v: T) => fusedCausalAttention(q as T4, k as T4, v as T4).out,
    (q: T, k: T, v: T) => causalAttention(q as T4, k as T4, v as T4).out,
  ],
  biasRelu: [(x: T, b: T) => fusedBiasRelu(x as T2, b as T1), (x: T, b: T) => tf.relu(x.add(b))],
  biasAdd: [(x: T, b: T) => fusedBiasAdd(x as T2, b as T1), (x: T, b: T) => x.add(b)],
} satisfies Record<string, [Fn, Fn]>;

const block = (heads: number, fast: boolean): Fn => (x, ...ps) => (fast ? fastGptBlock : gptBlock)(asBlock(ps), x as tf.Tensor3D, heads).x;
const blockInputs = ([B, T, C]: number[]) => [[B!, T!, C!], ...blockShapes(C!)];

useFusedWasm();

describe("fused GPT pieces on wasm equal the compositions on cpu (values and gradients)", () => {
  it.each(CASES.layerNorm)("layer norm %j", async (s) => {
    expect(await wasmVsCpu(fns.layerNorm[0], [s, [s[1]!], [s[1]!]])).toBeLessThanOrEqual(TOLERANCE);
  });
  it.each(CASES.softmax.map((s) => [s]))("causal softmax %j", async (s) => {
    expect(await wasmVsCpu(fns.softmax[0], [s])).toBeLessThanOrEqual(TOLERANCE);
  });
  it.each(CASES.softmax.map((s) => [s]))("causal attention, D = 3, scores %j", async (s) => {
    const q = [s[0]!, s[1]!, s[2]!, 3];
    expect(await wasmVsCpu(fns.attention[0], [q, q, q])).toBeLessThanOrEqual(TOLERANCE);
  });
  it.each(CASES.bias.map((s) => [s]))("bias + ReLU and bias add %j", async (s) => {
    expect(await wasmVsCpu(fns.biasRelu[0], [s, [s[1]!]])).toBeLessThanOrEqual(TOLERANCE);
    expect(await wasmVsCpu(fns.biasAdd[0], [s, [s[1]!]])).toBeLessThanOrEqual(TOLERANCE);
  });
  it.each(CASES.block.map((c) => [c]))("fastGptBlock vs gptBlock, [B, T, C, heads] = %j", async (c) => {
    const data = randomData(blockInputs(c), 7);
    await tf.setBackend("cpu");
    const want = outputAndGrads(block(c[3]!, false), blockInputs(c), data);
    await tf.setBackend("wasm");
    expect(fusedGptActive()).toBe(true);
    const got = outputAndGrads(block(c[3]!, true), blockInputs(c), data);
    expect(Math.max(...want.map((w, i) => relErr(got[i] as Float32Array, w)))).toBeLessThanOrEqual(TOLERANCE);
  });
});

describe("on wasm itself", () => {
  it.each([true, false])("fused equal composed with the speed work %s", (on) => {
    setWasmSpeedups(on);
    expect(fusedGptActive()).toBe(on);
    sameAs(fns.biasRelu[0], fns.biasRelu[1], [[8, 12], [12]]); // first use may set up caches
    const before = [tf.memory().numTensors, tf.backend().numDataIds()]; // the SIMD sums' scratch included
    expect(sameAs(fns.layerNorm[0], fns.layerNorm[1], [[9, 13], [13], [13]])).toBeLessThanOrEqual(TOLERANCE);
    expect(sameAs(fns.layerNorm[0], fns.layerNorm[1], [[9, 16], [16], [16]])).toBeLessThanOrEqual(TOLERANCE);
    expect(sameAs(fns.biasRelu[0], fns.biasRelu[1], [[9, 12], [12]])).toBeLessThanOrEqual(TOLERANCE);
    expect(sameAs(fns.softmax[0], fns.softmax[1], [[2, 3, 9, 9]])).toBeLessThanOrEqual(TOLERANCE);
    expect(sameAs(fns.attention[0], fns.attention[1], [[2, 3, 9, 4], [2, 3, 9, 4], [2, 3, 9, 4]])).toBeLessThanOrEqual(TOLERANCE);
    expect(sameAs(fns.biasRelu[0], fns.biasRelu[1], [[9, 13], [13]])).toBeLessThanOrEqual(TOLERANCE);
    expect(sameAs(block(2, true), block(2, false), blockInputs([2, 9, 8]))).toBeLessThanOrEqual(TOLERANCE);
    expect([tf.memory().numTensors, tf.backend().numDataIds()]).toEqual(before);
  });

  it("GENAI_WASM_FUSED=0 switches to the compositions", () => {
    process.env.GENAI_WASM_FUSED = "0";
    try {
      expect(fusedGptActive()).toBe(false);
      expect(sameAs(block(2, true), block(2, false), blockInputs([1, 5, 8]))).toBe(0);
    } finally {
      delete process.env.GENAI_WASM_FUSED;
    }
  });

  it("the fused block's gradient runs far fewer kernels than gptBlock's", async () => {
    const shapes = blockInputs([2, 8, 16]);
    const inputs = shapes.map((s, i) => tf.tensor(randomData([s], i)[0] as Float32Array, s));
    const count = async (fast: boolean) => {
      const info = await tf.profile(() => tf.grads((...ts: tf.Tensor[]) => tf.sum(block(2, fast)(...ts)))(inputs));
      tf.dispose(info.result as tf.Tensor[]);
      return info.kernels.length;
    };
    const [fused, plain] = [await count(true), await count(false)];
    expect(fused).toBeLessThan(plain * 0.6);
    tf.dispose(inputs);
  });

  it("GptLM: the same logits and attention maps on wasm (fused) as on cpu, no leaks", async () => {
    const config = { vocabSize: 11, blockSize: 9, embeddingSize: 12, heads: 3, layers: 2 };
    const ids = [[1, 2, 3, 4, 5, 6, 7, 8, 10], [0, 9, 9, 3, 2, 1, 4, 4, 5]];
    const outputs = async (backend: string) => {
      await tf.setBackend(backend);
      const before = tf.memory().numTensors;
      const model = new GptLM(config, new Rng(4));
      const idx = tf.tensor2d(ids, [2, 9], "int32");
      const logits = model.logits(idx), maps = model.attention(idx);
      const values = [logits, ...maps].map((t) => t.dataSync() as Float32Array);
      tf.dispose([idx, logits, ...maps]);
      model.dispose();
      expect(tf.memory().numTensors).toBe(before);
      return values;
    };
    const want = await outputs("cpu");
    const got = await outputs("wasm");
    expect(Math.max(...want.map((w, i) => relErr(got[i] as Float32Array, w)))).toBeLessThanOrEqual(TOLERANCE);
  });
});

describe("training", () => {
  it("trainLM (FusedAdam + fused blocks on wasm) follows cpu's loss curve and leaks nothing", async () => {
    const config = { vocabSize: 13, blockSize: 7, embeddingSize: 12, heads: 2, layers: 2 };
    const curve = async (backend: string) => {
      await tf.setBackend(backend);
      const before = tf.memory().numTensors;
      const rng = new Rng(8);
      const batch = () => tf.tensor2d(Array.from({ length: 5 * 7 }, () => rng.int(13)), [5, 7], "int32");
      const model = new GptLM(config, new Rng(6));
      const history = await trainLM(model, () => ({ x: batch(), y: batch() }), {
        steps: 6, learningRate: (s) => 0.01 / (1 + s), evalEvery: 3, evalBatches: 1, onProgress: () => {},
      });
      model.dispose();
      expect(tf.memory().numTensors).toBe(before);
      return [...history.trainLoss, ...history.valLoss];
    };
    const want = await curve("cpu");
    const got = await curve("wasm");
    expect(fusedGptActive()).toBe(true);
    expect(relErr(got, want)).toBeLessThanOrEqual(TOLERANCE);
  });
});

describe("errors", () => {
  it("shapes that do not fit say so", () => {
    const x = tf.zeros([4, 6]) as T2, g = tf.ones([5]) as T1;
    expect(() => fusedLayerNorm(x, g, g)).toThrow(/layer norm gain has shape \[5\], expected \[6\]/);
    const s = tf.zeros([1, 1, 3, 4]) as T4;
    expect(() => fusedCausalSoftmax(s, 1)).toThrow(/attention scores/);
    tf.dispose([x, g, s]);
  });
  it("blocks built by initGptBlock run", () => {
    const p = initGptBlock(8, 1, new Rng(1));
    const x = tf.zeros([1, 3, 8]) as tf.Tensor3D;
    const r = fastGptBlock(p, x, 2);
    expect(r.x.shape).toEqual([1, 3, 8]);
    tf.dispose([x, r.x, r.weights, ...Object.values(p)]);
  });
});
