import { describe, expect, it } from "vitest";
import {
  ConvVae, GptLM, STREAM_OFFSETS, cosineSchedule, fit, generate, randomWindows, seeds, setup, tf, trainLM, trainVae,
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

describe("fit: the one training loop", () => {
  it("runs the steps with the schedule's rates, validates, stops at the budget and reports progress", async () => {
    const rates: number[] = [], lines: number[] = [];
    const history = await fit(async (step, lr) => { rates.push(lr); return { loss: 10 - step, items: 2, parts: { a: step } }; }, {
      steps: 5, schedule: cosineSchedule(1, 0.1, 5, 1), evalEvery: 2, evaluate: async () => 7, onProgress: (p) => { lines.push(p.step); },
    });
    expect(rates[0]).toBe(1); // warm-up of one step reaches the peak
    expect(rates[1]).toBe(1);
    expect(rates[4]).toBeCloseTo(0.1 + 0.45 * (1 + Math.cos(Math.PI * 0.75)), 12);
    expect(history.loss).toEqual([10, 9, 8, 7, 6]);
    expect(history.parts.a).toEqual([0, 1, 2, 3, 4]);
    expect(history.evalSteps).toEqual([2, 4, 5]);
    expect(history.items).toBe(10);
    expect(lines).toEqual([1, 2, 3, 4, 5]);
    const short = await fit(async () => { await new Promise((r) => setTimeout(r, 30)); return { loss: 1, items: 1 }; }, {
      steps: 1000, schedule: 0.1, timeBudgetSeconds: 0.05,
    });
    expect(short.steps).toBeLessThan(5);
    await expect(fit(async () => ({ loss: NaN, items: 1 }), { steps: 3, schedule: 1, name: "trainX" }))
      .rejects.toThrow(/trainX: the loss is NaN at step 1; lower the learning rate/);
  });
});
