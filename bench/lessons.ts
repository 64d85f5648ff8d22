/**
 * The lessons' own models for `npm run bench`, imported from the library at their full-mode
 * presets (bench/catalog.ts lists them): one training step each — forward, backward and the
 * library's Adam, on a fixed batch drawn from a seeded Rng — as the lessons' trainers run it.
 */
import {
  CGAN_RUNS, CLASSIFIER_CONFIG, ConvVae, DIFFUSION_RUNS, DiffusionUnet, GPT_MOBY_RUNS, Gan, GptLM,
  LSTM_MOBY_RUNS, LstmLM, MnistClassifier, type Rng, VAE_RUNS, adam, diffusionLoss, discriminatorLoss,
  ganStep, generatorLoss, lmLoss, negElbo, noiseFrom, noiseSchedule, Rng as SeededRng, tf,
} from "@course/lib";

/** A training sequence the harness checks: its loss must be finite and fall over a few steps. */
export interface Guard {
  name: string;
  /** One optimiser step on the fixed batch; returns the scalar loss before the update. */
  step: () => tf.Tensor;
}

export interface BenchModel {
  /** One full training step on the fixed batch; the loss (or losses) as one tensor. */
  step: () => tf.Tensor;
  /** What the correctness guard trains (default: `step`, which must then return a scalar). */
  guards?: Guard[];
  /** The trained variables (their sizes are printed beside the PyTorch twin's parameter count). */
  variables: tf.Variable[];
  dispose: () => void;
}

/** Moby Dick's distinct characters: the vocabulary of lessons 03 and 05. */
const MOBY_VOCAB = 89;

const uniform = (rng: Rng, shape: number[], lo: number, hi: number): tf.Tensor =>
  tf.tensor(Float32Array.from({ length: tf.util.sizeFromShape(shape) }, () => lo + (hi - lo) * rng.uniform()), shape);
const ints = (rng: Rng, shape: number[], n: number): tf.Tensor =>
  tf.tensor(Int32Array.from({ length: tf.util.sizeFromShape(shape) }, () => rng.int(n)), shape, "int32");

/** An Adam step on `loss` over `vars`, returning the loss. */
function minimizer(opt: tf.Optimizer, vars: tf.Variable[], loss: () => tf.Scalar): () => tf.Scalar {
  return () => opt.minimize(loss, true, vars) as tf.Scalar;
}

function languageModel(model: GptLM | LstmLM, rng: Rng, batchSize: number, learningRate: number): BenchModel {
  const T = model.blockSize;
  const x = ints(rng, [batchSize, T], MOBY_VOCAB) as tf.Tensor2D, y = ints(rng, [batchSize, T], MOBY_VOCAB) as tf.Tensor2D;
  const opt = adam(learningRate);
  return {
    step: minimizer(opt, model.variables, () => lmLoss(model, x, y, true)),
    variables: model.variables,
    dispose: () => {
      opt.dispose();
      model.dispose();
      tf.dispose([x, y]);
    },
  };
}

function buildGpt(rng: Rng): BenchModel {
  const run = GPT_MOBY_RUNS.full;
  return languageModel(new GptLM({ ...run.model, vocabSize: MOBY_VOCAB }, rng), rng, run.batchSize, run.learningRate);
}

function buildLstm(rng: Rng): BenchModel {
  const run = LSTM_MOBY_RUNS.full;
  return languageModel(new LstmLM({ ...run.model, vocabSize: MOBY_VOCAB }, rng), rng, run.batchSize, run.learningRate);
}

function buildVae(rng: Rng): BenchModel {
  const run = VAE_RUNS.full;
  const model = new ConvVae(run.model, rng);
  const x = uniform(rng, [run.batchSize, 28, 28, 1], 0, 1) as tf.Tensor4D;
  const eps = tf.randomNormal([run.batchSize, run.model.latentSize], 0, 1, "float32", 3) as tf.Tensor2D;
  const opt = adam(run.learningRate);
  return {
    step: minimizer(opt, model.variables, () => negElbo(model, x, eps)),
    variables: model.variables,
    dispose: () => {
      opt.dispose();
      tf.dispose([x, eps, ...model.variables]);
    },
  };
}

function buildGan(rng: Rng): BenchModel {
  const run = CGAN_RUNS.full;
  const gan = new Gan(run.model, rng, { learningRate: run.learningRate, beta1: run.beta1 });
  const B = run.batchSize;
  const real = uniform(rng, [B, 28, 28, 1], -1, 1) as tf.Tensor4D;
  const z = noiseFrom(rng, B, run.model.zDim);
  const labels = ints(rng, [B], run.model.classes) as tf.Tensor1D;
  const fake = (): tf.Tensor4D => tf.tidy(() => gan.generate(z, labels));
  const dStep = (): tf.Scalar => {
    const f = fake();
    const loss = minimizer(gan.optD, gan.dVars, () =>
      discriminatorLoss(gan.discriminate(real, labels), gan.discriminate(f, labels), run.realTarget))();
    f.dispose();
    return loss;
  };
  const gStep = minimizer(gan.optG, gan.gVars, () => generatorLoss(gan.discriminate(gan.generate(z, labels), labels)));
  return {
    step: () => {
      const { dLoss, gLoss } = ganStep(gan, real, z, labels, run.realTarget);
      const both = tf.stack([dLoss, gLoss]);
      tf.dispose([dLoss, gLoss]);
      return both;
    },
    guards: [{ name: "D", step: dStep }, { name: "G", step: gStep }],
    variables: [...gan.gVars, ...gan.dVars],
    dispose: () => {
      gan.dispose();
      tf.dispose([real, z, labels]);
    },
  };
}

function buildUnet(rng: Rng): BenchModel {
  const run = DIFFUSION_RUNS.full;
  const model = new DiffusionUnet(run.model, rng);
  const schedule = noiseSchedule(run.schedule.kind, run.schedule.steps);
  const B = run.train.batchSize;
  const x0 = uniform(rng, [B, 28, 28, 1], -1, 1) as tf.Tensor4D;
  const labels = Int32Array.from({ length: B }, () => rng.int(run.model.classes));
  const opt = adam(run.train.learningRate);
  // The same timesteps and noise every step (a fixed batch), drawn as the trainer draws them.
  const loss = (): tf.Scalar => diffusionLoss(model, schedule, x0, labels, new SeededRng(5), run.train);
  return {
    step: minimizer(opt, model.params.vars, loss),
    variables: model.params.vars,
    dispose: () => {
      opt.dispose();
      x0.dispose();
      model.dispose();
    },
  };
}

function buildClassifier(rng: Rng): BenchModel {
  const model = new MnistClassifier(CLASSIFIER_CONFIG, rng);
  const x = uniform(rng, [64, 28, 28, 1], 0, 1) as tf.Tensor4D, y = ints(rng, [64], 10) as tf.Tensor1D;
  const opt = adam(1e-3);
  return {
    step: minimizer(opt, model.vars, () => model.loss(x, y)),
    variables: model.vars,
    dispose: () => {
      opt.dispose();
      tf.dispose([x, y]);
      model.dispose();
    },
  };
}

export const BUILDERS: Readonly<Record<string, (rng: Rng) => BenchModel>> = {
  lstm: buildLstm,
  gpt: buildGpt,
  vae: buildVae,
  gan: buildGan,
  unet: buildUnet,
  classifier: buildClassifier,
};
