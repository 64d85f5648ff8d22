import { describe, expect, it } from "vitest";
import {
  CGAN_RUNS, Gan, GptLM, GraphBuilder, Rng, checkModel, gptParity, generatorParity, int8WeightCopy, loadPretrainedGan, loadPretrainedGpt, digitInputs, exportGanGenerator, exportGpt, loadOrt, ortDrawDigits,
  noiseFrom, ortNextLogits, ortSession, sampleWith, seeds, serialiseModel, setup, tf,
} from "@course/lib";

const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
};

describe("ONNX writer and checks (lesson 11)", () => {
  it("a MatMul + Add graph written by the writer runs in onnxruntime-node and gives x·W + b", async () => {
    const b = new GraphBuilder("dense");
    const x = b.input("x", "float32", ["batch", 3]);
    const y = b.op1("Add", [b.op1("MatMul", [x, b.floats("W", Float32Array.of(1, 2, 3, 4, 5, 6), [3, 2])]), b.floats("b", Float32Array.of(0.5, -1), [2])]);
    b.output(y, "y", "float32", ["batch", 2]);
    const ort = await loadOrt();
    const session = await ortSession(serialiseModel({ graph: b.graph(), opset: 17 }));
    const out = await session.run({ x: new ort.Tensor("float32", Float32Array.of(1, 0, -1, 2, 1, 0), [2, 3]) });
    expect(Array.from(out.y!.data as Float32Array)).toEqual([1 - 5 + 0.5, 2 - 6 - 1, 2 + 3 + 0.5, 4 + 4 - 1]);
    expect(out.y!.dims).toEqual([2, 2]);
  });

  it("checkModel names what is wrong: an undefined value, a wrong dtype, a short initializer, an unknown op", () => {
    const b = new GraphBuilder("broken");
    const x = b.input("x", "float32", ["batch", 2]);
    b.int64s("shape", [1, 2]);
    b.floats("short", Float32Array.of(1, 2, 3), [2, 2]);
    b.op1("Add", [x, "shape"]);
    b.op1("MatMul", [x, "nowhere"]);
    b.op1("FancyOp", [x]);
    b.output(x, "y", "int32", ["batch", 2]);
    const problems = () => checkModel({ graph: b.graph(), opset: 17 });
    expect(problems).toThrow(/must share one dtype/);
    expect(problems).toThrow(/reads nowhere before anything defines it/);
    expect(problems).toThrow(/need 4 values, it holds 3/);
    expect(problems).toThrow(/does not know this operator/);
    expect(problems).toThrow(/declared int32 but the graph makes float32/);
  });
});

describe("exported models match TensorFlow.js (cpu backend) within 1e-4", () => {
  it("mini-GPT: logits for every position, two sequence lengths and two batch sizes", async () => {
    await setup({ seed: 1, backend: "cpu", quiet: true });
    const model = new GptLM({ vocabSize: 11, blockSize: 8, embeddingSize: 16, heads: 4, layers: 2 }, new Rng(3));
    const session = await ortSession(serialiseModel(exportGpt(model)));
    const ort = await loadOrt();
    const rng = new Rng(5);
    for (const [B, T] of [[2, 8], [3, 5], [1, 1]] as const) {
      const ids = Int32Array.from({ length: B * T }, () => rng.int(11));
      const want = tf.tidy(() => model.logits(tf.tensor2d(ids, [B, T], "int32")).dataSync());
      const out = await session.run({ tokens: new ort.Tensor("int32", ids, [B, T]) });
      expect(out.logits!.dims).toEqual([B, T, 11]);
      expect(maxAbs(out.logits!.data as Float32Array, want)).toBeLessThan(1e-4);
    }
    const before = tf.memory().numTensors;
    const text = await sampleWith(ortNextLogits(ort, session), [1, 2], 8, new Rng(9), { maxNewTokens: 12, temperature: 0.8 });
    expect(text).toHaveLength(12);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it("conditional GAN generator: the same images for the same z and labels, batch-norm statistics included", async () => {
    await setup({ seed: 1, backend: "cpu", quiet: true });
    const gan = new Gan({ ...CGAN_RUNS.smoke.model }, new Rng(4));
    const { zDim, classes } = gan.config;
    const session = await ortSession(serialiseModel(exportGanGenerator(gan)));
    const ort = await loadOrt();
    const { z, labels } = digitInputs(new Rng(11), 6, zDim, classes);
    const want = tf.tidy(() => gan.generate(tf.tensor2d(z, [6, zDim]), tf.tensor1d(labels, "int32")).dataSync());
    const got = await ortDrawDigits(ort, session, z, labels, zDim);
    expect(maxAbs(got, want)).toBeLessThan(1e-4);
    gan.dispose();
  });

  it("digitInputs draws from its stream what noiseFrom draws (so both runtimes get the same z); another seed, other z", () => {
    const { z, labels } = digitInputs(seeds(5).sample, 4, 8, 10);
    const want = noiseFrom(seeds(5).sample, 4, 8); //                        [4, 8]
    expect(Array.from(z)).toEqual(Array.from(want.dataSync()));
    expect(Array.from(labels)).toEqual([0, 1, 2, 3]);
    expect(Array.from(digitInputs(seeds(6).sample, 4, 8, 10).z)).not.toEqual(Array.from(z));
    want.dispose();
  });

  it("the committed checkpoints (05 GPT, 07 generator) load sha256-checked and export within 1e-4", async () => {
    await setup({ seed: 1, backend: "cpu", quiet: true });
    const { model, itos, info } = loadPretrainedGpt();
    expect(itos).toHaveLength(model.vocabSize);
    expect(info.training.steps).toBe(900);
    expect(await gptParity(model, await ortSession(serialiseModel(exportGpt(model))), new Rng(7), [[2, 64]])).toBeLessThan(1e-4);
    const int8 = int8WeightCopy(model);
    expect(int8.int8Bytes).toBeLessThan(0.35 * int8.float32Bytes);
    int8.model.dispose();
    model.dispose();
    const gan = loadPretrainedGan();
    expect(await generatorParity(gan, await ortSession(serialiseModel(exportGanGenerator(gan))), new Rng(8), 20)).toBeLessThan(1e-4);
    gan.dispose();
  });
});
