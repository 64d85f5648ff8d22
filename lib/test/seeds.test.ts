import { describe, expect, it } from "vitest";
import {
  ConvVae, GptLM, STREAM_OFFSETS, cosineSchedule, generate, randomWindows, seeds, setup, tf, trainLM, trainVae,
  vaeBatches, VAE_RUNS,
} from "@course/lib";

/** Everything a seed decides, end to end: weights, batches, training, samples. */
async function gptRun(seed: number): Promise<{ losses: number[]; text: number[]; weights: Float32Array }> {
  const { streams } = await setup({ seed, backend: "cpu", quiet: true });
  const tokens = Int32Array.from({ length: 600 }, (_, i) => (i * 7 + (i >> 3)) % 11);
  const model = new GptLM({ vocabSize: 11, blockSize: 8, embeddingSize: 16, heads: 2, layers: 1 }, streams.init);
  const history = await trainLM(model, () => randomWindows(tokens, 8, 4, streams.batches), {
    steps: 6, learningRate: cosineSchedule(1e-2, 1e-3, 6), evalEvery: 6, evalBatches: 1, onProgress: () => {},
  });
  const text = generate(model, [0], streams.sample, { maxNewTokens: 24 });
  const weights = (await model.variables[0]!.data()) as Float32Array;
  model.dispose();
  return { losses: history.loss, text, weights };
}

describe("seeds: the seed of setup() reaches every draw", () => {
  it("one seed gives identical weights, losses and samples bit for bit; another seed different ones", async () => {
    const a = await gptRun(42), b = await gptRun(42), c = await gptRun(43);
    expect(b.weights).toEqual(a.weights);
    expect(b.losses).toEqual(a.losses); // exact: the same float32 values
    expect(b.text).toEqual(a.text);
    expect(c.weights).not.toEqual(a.weights);
    expect(c.losses).not.toEqual(a.losses);
    expect(c.text).not.toEqual(a.text);
  });

  it("a VAE trained on setup's streams samples the same images for one seed, others for another", async () => {
    const run = { ...VAE_RUNS.smoke, steps: 3, trainImages: 200 };
    const images = async (seed: number) => {
      const { streams } = await setup({ seed, backend: "cpu", quiet: true });
      const vae = new ConvVae(run.model, streams.init);
      await trainVae(vae, vaeBatches(run, streams), run, { streams });
      const x = vae.sample(4, streams.sample);
      const values = (await x.data()) as Float32Array;
      tf.dispose(x);
      vae.dispose();
      return values;
    };
    const a = await images(5), b = await images(5), c = await images(6);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it("streams sit at fixed offsets from the seed, and fresh() starts one over", () => {
    const s = seeds(100);
    expect(Object.keys(STREAM_OFFSETS)).toEqual(["init", "batches", "noise", "sample", "eval"]);
    expect(s.noise.seed).toBe(102);
    const first = s.sample.uniform();
    expect(s.sample.uniform()).not.toBe(first);
    expect(s.fresh("sample").uniform()).toBe(first);
    expect(() => seeds(1.5)).toThrow(/integer/);
    expect(() => s.fresh("weights" as "init")).toThrow(/streams are init, batches/);
  });
});
