/**
 * WebGPU trains every course model through the library's own training loops, which read tensors
 * only asynchronously (WebGPU in Node can read no other way), and follows wasm step for step.
 *
 * It needs a WebGPU adapter. Without a GPU, Mesa's lavapipe (a Vulkan driver on the CPU,
 * Debian 12 backports' mesa-vulkan-drivers ≥ 25 with libvulkan1; .ci/run installs them) serves:
 * GENAI_WEBGPU_SOFTWARE=1 lets setup() accept it. Where Dawn finds no adapter at all, the tests
 * are skipped and say why.
 */
import { afterAll, describe, expect, it } from "vitest";
import {
  CharVocab, ConvVae, DCGAN_RUNS, CGAN_RUNS, DIFFUSION_RUNS, DiffusionUnet, Gan, GPT_MOBY_RUNS, GptLM, LSTM_MOBY_RUNS,
  LstmLM, MLP_NAMES_RUNS, MlpLM, MnistBatches, Rng, TbpttLM, TbpttStreams, VAE_RUNS, WordDataset, charTokens,
  loadMnist, loadMobyDick, loadNames, noiseSchedule, randomWindows, setup, tbpttBatches, tf, trainDiffusion,
  trainGan, trainLM, trainVae, vaeBatches, wordBatches,
} from "@course/lib";

const STEPS = 4;

process.env.GENAI_WEBGPU_SOFTWARE = "1";
const why = await setup({ backend: "webgpu", quiet: true }).then(
  () => null,
  (error: Error) => error.message.split("\n")[0],
);
if (why) console.log(`webgpu tests skipped: ${why}`);

/** Losses of the first STEPS steps of one course model, trained by the library on `backend`. */
type Run = () => Promise<number[]>;

const mnist = () => loadMnist("train", { limit: 512 });

/** The first 20,000 characters of Moby Dick's training text as tokens, and the vocabulary size. */
function moby(): { tokens: Int32Array; vocabSize: number } {
  const { text, train } = loadMobyDick();
  const vocab = CharVocab.fromWords([text], "\u0000");
  return { tokens: charTokens(train.slice(0, 20_000), vocab), vocabSize: vocab.size };
}

/** trainLM for STEPS steps, evaluating once; the training losses. */
async function lmLosses(model: Parameters<typeof trainLM>[0], batches: Parameters<typeof trainLM>[1], learningRate: number): Promise<number[]> {
  const history = await trainLM(model, batches, { steps: STEPS, learningRate, evalEvery: STEPS, evalBatches: 1, onProgress: () => {} });
  return history.trainLoss;
}

const RUNS: Record<string, Run> = {
  "MLP language model (trainLM)": async () => {
    const run = MLP_NAMES_RUNS.smoke;
    const { train, val } = loadNames();
    const vocab = CharVocab.fromWords(train);
    const model = new MlpLM({ vocabSize: vocab.size, ...run.model }, new Rng(run.seed));
    const batches = wordBatches(new WordDataset(train, vocab), new WordDataset(val, vocab), run.batchSize, new Rng(1));
    const losses = await lmLosses(model, batches, run.learningRate);
    model.dispose();
    return losses;
  },
  "LSTM language model (trainLM, truncated BPTT)": async () => {
    const run = LSTM_MOBY_RUNS.smoke, { tokens, vocabSize } = moby();
    const model = new LstmLM({ vocabSize, ...run.model }, new Rng(run.seed));
    const streams = () => new TbpttStreams(tokens, run.batchSize, run.model.blockSize);
    const tbptt = new TbpttLM(model);
    const losses = await lmLosses(tbptt, tbpttBatches(streams(), streams()), run.learningRate);
    tbptt.dispose();
    model.dispose();
    return losses;
  },
  "GPT (trainLM)": async () => {
    const run = GPT_MOBY_RUNS.smoke, { tokens, vocabSize } = moby();
    const model = new GptLM({ vocabSize, ...run.model }, new Rng(run.seed));
    const rng = new Rng(1);
    const losses = await lmLosses(model, () => randomWindows(tokens, run.model.blockSize, run.batchSize, rng), run.learningRate);
    model.dispose();
    return losses;
  },
  "convolutional VAE (trainVae)": async () => {
    const run = { ...VAE_RUNS.smoke, steps: STEPS, trainImages: 512 };
    const model = new ConvVae(run.model, new Rng(run.seed));
    const history = await trainVae(model, vaeBatches(run), run);
    model.dispose();
    return history.loss;
  },
  "DCGAN (trainGan)": async () => ganLosses(DCGAN_RUNS.smoke),
  "class-conditional GAN (trainGan)": async () => ganLosses(CGAN_RUNS.smoke),
  "diffusion U-Net (trainDiffusion, with EMA)": async () => {
    const run = DIFFUSION_RUNS.smoke;
    const model = new DiffusionUnet(run.model, new Rng(run.seed)), ema = new DiffusionUnet(run.model, new Rng(run.seed));
    const batches = new MnistBatches(mnist(), new Rng(run.seed + 1));
    const schedule = noiseSchedule(run.schedule.kind, run.schedule.steps);
    const history = await trainDiffusion(model, ema, schedule, batches, new Rng(run.seed + 2), { ...run.train, steps: STEPS, warmupSteps: Math.min(run.train.warmupSteps, STEPS - 1) });
    model.dispose();
    ema.dispose();
    return history.loss;
  },
};

async function ganLosses(base: typeof DCGAN_RUNS.smoke): Promise<number[]> {
  const run = { ...base, steps: STEPS };
  const gan = new Gan(run.model, new Rng(run.seed), run);
  const history = await trainGan(gan, new MnistBatches(mnist(), new Rng(run.seed + 1)), run);
  gan.dispose();
  return history.dLoss.flatMap((d, i) => [d, history.gLoss[i] as number]);
}

async function on(backend: "wasm" | "webgpu", run: Run): Promise<number[]> {
  await setup({ backend, quiet: true, seed: 42 });
  return run();
}

afterAll(async () => {
  if (!why) await setup({ backend: "wasm", quiet: true });
});

describe.skipIf(why !== null)("webgpu", () => {
  for (const [name, run] of Object.entries(RUNS)) {
    it(`trains the ${name} as wasm does, reading asynchronously`, async () => {
      const wasm = await on("wasm", run);
      const before = tf.memory().numTensors;
      const gpu = await on("webgpu", run);
      expect(gpu).toHaveLength(wasm.length);
      gpu.forEach((loss, i) => {
        expect(Number.isFinite(loss)).toBe(true);
        const want = wasm[i] as number;
        expect(Math.abs(loss - want), `step ${i}: webgpu ${loss}, wasm ${want}`).toBeLessThan(3e-3 * Math.max(1, Math.abs(want))); // the VAE differs by 0.25 % at step 2 on lavapipe
      });
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it("is chosen by setup() only for code that declares it reads asynchronously", async () => {
    const saved = process.env.GENAI_BACKEND;
    delete process.env.GENAI_BACKEND;
    try {
      expect((await setup({ quiet: true })).backend).not.toBe("webgpu"); // a notebook's setup()
      expect((await setup({ quiet: true, asyncReads: true })).backend).toMatch(/^(webgpu|tensorflow)$/);
    } finally {
      if (saved !== undefined) process.env.GENAI_BACKEND = saved;
    }
  });

  it("explains a synchronous read instead of failing inside tfjs", async () => {
    await setup({ backend: "webgpu", quiet: true });
    const t = tf.square(tf.tensor1d([1, 2, 3]));
    expect(() => t.dataSync()).toThrow(/read synchronously.*await t\.data\(\)/s);
    expect(Array.from(await t.data())).toEqual([1, 4, 9]);
    t.dispose();
  });
});
