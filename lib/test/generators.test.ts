import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  CGAN_RUNS, ConvVae, DIFFUSION_RUNS, DiffusionModel, Gan, type ImageGenerator, MnistBatches, VAE_RUNS, loadGenerator, loadMnist,
  seeds, setup, tf,
} from "@course/lib";

const dir = mkdtempSync(join(tmpdir(), "generators-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One smoke-size model of each image family, built from the streams of `seed`. */
const FAMILIES: Record<string, (seed: number) => ImageGenerator> = {
  vae: (seed) => new ConvVae(VAE_RUNS.smoke.model, seeds(seed).init),
  gan: (seed) => new Gan(CGAN_RUNS.smoke.model, seeds(seed).init),
  diffusion: (seed) => new DiffusionModel({ ...DIFFUSION_RUNS.smoke, sampleSteps: 3 }, seeds(seed).init),
};

describe("one contract for the image generators: loss, sample, variables, save and load", () => {
  for (const [family, build] of Object.entries(FAMILIES)) {
    it(`${family}: a finite loss with gradients, seeded samples in [0, 1], a checkpoint that loads back the same model`, async () => {
      await setup({ seed: 1, backend: "cpu", quiet: true });
      const before = tf.memory().numTensors;
      const model = build(3);
      const batch = new MnistBatches(loadMnist("train", { limit: 64 }), seeds(3).batches).next(8);
      const { value, grads } = tf.variableGrads(() => model.loss(batch, seeds(3).noise), model.variables);
      expect(Number.isFinite((await value.data())[0])).toBe(true);
      expect(Object.keys(grads).length).toBe(model.variables.length);
      tf.dispose([value, ...Object.values(grads), batch.images, batch.labels]);

      const a = model.sample(4, seeds(5).sample), b = model.sample(4, seeds(5).sample), c = model.sample(4, seeds(6).sample);
      expect(a.shape).toEqual([4, 28, 28, 1]);
      const [va, vb, vc] = await Promise.all([a.data(), b.data(), c.data()]);
      expect(vb).toEqual(va);
      expect(vc).not.toEqual(va);
      expect(Math.min(...va)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...va)).toBeLessThanOrEqual(1);

      const info = model.save(join(dir, family), { seed: 3 });
      expect(info.kind).toBe(model.kind);
      const loaded = loadGenerator(join(dir, family));
      expect(loaded.kind).toBe(model.kind);
      expect(loaded.config).toEqual(model.config);
      const again = loaded.sample(4, seeds(5).sample);
      expect(await again.data()).toEqual(va);
      tf.dispose([a, b, c, again]);
      loaded.dispose();
      model.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});
