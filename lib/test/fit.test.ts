import { describe, expect, it } from "vitest";
import {
  CGAN_RUNS, DCGAN_RUNS, DIFFUSION_RUNS, GPT_MOBY_RUNS, LSTM_MOBY_RUNS, MLP_NAMES_RUNS, VAE_2D_RUNS, VAE_RUNS, checkTrainSettings,
  cosineSchedule, fit, linearDecaySchedule, progressLine,
} from "@course/lib";

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

describe("schedules and the progress line", () => {
  it("cosineSchedule follows the step or the time budget, whichever is further along", () => {
    const lr = cosineSchedule(1, 0.1, 100);
    expect(lr(50)).toBeCloseTo(0.55, 12);
    expect(lr(10, 0.5)).toBeCloseTo(0.55, 12); // the clock is further along than the steps
    expect(lr(100)).toBeCloseTo(0.1, 12);
    const gan = linearDecaySchedule(2, 100, 0.5);
    expect(gan(10)).toBe(2);
    expect(gan(75)).toBeCloseTo(1, 12);
    expect(gan(0, 1)).toBe(0);
  });

  it("progressLine: one format for every trainer, a GAN's two losses by name", () => {
    const p = { step: 300, steps: 3000, loss: 2.4123, learningRate: 3e-3, seconds: 30, etaSeconds: 65, itemsPerSecond: 41_000, unit: "tok" };
    expect(progressLine({ ...p, valLoss: 2.451 })).toBe("step 300/3000 · loss 2.412 · val 2.451 · lr 3.0e-3 · 41.0k tok/s · ETA 1m 05s");
    expect(progressLine({ ...p, loss: 112.44, unit: "img", itemsPerSecond: 880 }, "−ELBO")).toBe("step 300/3000 · −ELBO 112.4 · lr 3.0e-3 · 880 img/s · ETA 1m 05s");
    expect(progressLine({ ...p, parts: { dLoss: 0.6, gLoss: 1.25 } })).toMatch(/^step 300\/3000 · dLoss 0.600 · gLoss 1.250 · lr/);
  });
});

describe("one shape and one check for every run's training settings", () => {
  it("every preset passes checkTrainSettings; a broken one fails naming the field and the fix", () => {
    const presets = { MLP_NAMES_RUNS, LSTM_MOBY_RUNS, GPT_MOBY_RUNS, VAE_RUNS, VAE_2D_RUNS, DCGAN_RUNS, CGAN_RUNS };
    for (const [name, runs] of Object.entries(presets)) {
      for (const run of [runs.smoke, runs.full]) expect(() => checkTrainSettings(run, name)).not.toThrow();
    }
    for (const run of [DIFFUSION_RUNS.smoke, DIFFUSION_RUNS.full]) checkTrainSettings(run.train, "DIFFUSION_RUNS");
    expect(() => checkTrainSettings({ ...VAE_RUNS.smoke, batchSize: 0 }, "trainVae")).toThrow(/trainVae: batchSize must be an integer ≥ 1, got 0; fix the run preset/);
    expect(() => checkTrainSettings({ ...GPT_MOBY_RUNS.smoke, finalLearningRate: 1 }, "x")).toThrow(/finalLearningRate must be between 0 and learningRate/);
    expect(() => checkTrainSettings({ ...GPT_MOBY_RUNS.smoke, warmupSteps: 10_000 }, "x")).toThrow(/warmupSteps must be an integer from 0 to steps − 1/);
  });
});
