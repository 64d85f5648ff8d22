/** Probes for lesson 06: each runs one exercise on seeded inputs, inside the grader's probe process. */
import {
  tf, ConvVae, MnistBatches, Rng, bernoulliLogLikelihood, elbo, elboOf, klDivergence, latentNoise, lerpLatents, loadMnist,
  normalTensor, reparameterise, slerpLatents, trainVae,
} from "@course/lib";
import type { LessonModule, VaeRun } from "@course/lib";

/** Uniform [0, 1) values from `rng` as a tensor (image-like inputs). */
function uniformTensor<R extends tf.Rank>(shape: number[], rng: Rng): tf.Tensor<R> {
  const t: tf.Tensor = tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.uniform()), shape);
  return t as tf.Tensor<R>;
}

type Posterior = { mu: tf.Tensor2D; logVar: tf.Tensor2D };

export const probes = {
  encoderDecoder: (m: LessonModule, input: { B: number; Z: number; channels: [number, number]; seed: number }) => {
    const model = new ConvVae({ latentSize: input.Z, channels: input.channels }, new Rng(input.seed));
    const rng = new Rng(input.seed + 1);
    const x = uniformTensor<tf.Rank.R4>([input.B, 28, 28, 1], rng);
    const z = normalTensor<tf.Rank.R2>([input.B, input.Z], 1, rng);
    try {
      const mine = m.encode(model.layers, x) as Posterior;
      const logits = m.decode(model.layers, z) as tf.Tensor4D;
      const library = model.encode(x);
      return { mu: mine.mu, logVar: mine.logVar, logits, libraryMu: library.mu, libraryLogVar: library.logVar, libraryLogits: model.decode(z) };
    } finally {
      tf.dispose([x, z]);
      model.dispose();
    }
  },

  reparameterise: (m: LessonModule, input: { B: number; Z: number; seed: number }) => {
    const rng = new Rng(input.seed);
    const [mu, logVar, eps] = [normalTensor<tf.Rank.R2>([input.B, input.Z], 1, rng), normalTensor<tf.Rank.R2>([input.B, input.Z], 1.5, rng), normalTensor<tf.Rank.R2>([input.B, input.Z], 1, rng)];
    try {
      const z = m.reparameterise(mu, logVar, eps) as tf.Tensor2D;
      // Gradients of Σ z·w (w fixed) with respect to mu and logVar: they must flow through z.
      const w = normalTensor<tf.Rank.R2>([input.B, input.Z], 1, rng);
      const [dMu, dLogVar] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(m.reparameterise(a, b, eps) as tf.Tensor, w)))([mu!, logVar!]);
      w.dispose();
      return { z, dMu, dLogVar, library: reparameterise(mu!, logVar!, eps!) };
    } finally {
      tf.dispose([mu!, logVar!, eps!]);
    }
  },

  kl: (m: LessonModule, input: { B: number; Z: number; seed: number }) => {
    const rng = new Rng(input.seed);
    const mu = normalTensor<tf.Rank.R2>([input.B, input.Z], 1.2, rng), logVar = normalTensor<tf.Rank.R2>([input.B, input.Z], 1, rng);
    const zeros = tf.zeros([2, input.Z]) as tf.Tensor2D;
    try {
      return { kl: m.klDivergence(mu, logVar), atPrior: m.klDivergence(zeros, zeros), library: klDivergence(mu, logVar) };
    } finally {
      tf.dispose([mu, logVar, zeros]);
    }
  },

  elbo: (m: LessonModule, input: { B: number; Z: number; seed: number; extreme?: boolean }) => {
    const rng = new Rng(input.seed);
    const x = uniformTensor<tf.Rank.R4>([input.B, 28, 28, 1], rng);
    const logits = tf.tidy(() => {
      const l = normalTensor<tf.Rank.R4>([input.B, 28, 28, 1], 3, rng);
      return input.extreme ? l.mul(40) as tf.Tensor4D : l; // logits of ±100 and more: exp(ℓ) overflows float32
    });
    const mu = normalTensor<tf.Rank.R2>([input.B, input.Z], 1, rng), logVar = normalTensor<tf.Rank.R2>([input.B, input.Z], 0.8, rng);
    try {
      const library = elbo(x, logits, mu, logVar);
      const logLik = bernoulliLogLikelihood(x, logits);
      return { elbo: m.elbo(x, logits, mu, logVar), library, logLik };
    } finally {
      tf.dispose([x, logits, mu, logVar]);
    }
  },

  interpolate: (m: LessonModule, input: { Z: number; steps: number; seed: number; parallel?: boolean }) => {
    const rng = new Rng(input.seed);
    const z0 = normalTensor<tf.Rank.R1>([input.Z], 1, rng);
    const z1 = input.parallel ? tf.mul(z0, 2.5) as tf.Tensor1D : normalTensor<tf.Rank.R1>([input.Z], 1, rng);
    try {
      return {
        linear: m.interpolateLinear(z0, z1, input.steps), spherical: m.interpolateSpherical(z0, z1, input.steps),
        libraryLinear: lerpLatents(z0, z1, input.steps), librarySpherical: slerpLatents(z0, z1, input.steps),
        z0: z0.clone(), z1: z1.clone(),
      };
    } finally {
      tf.dispose([z0, z1]);
    }
  },

  tinyRun: (m: LessonModule, input: { steps: number; seed: number }) => tinyRun(m, input),
};

/** −ELBO of a batch computed entirely with the learner's functions. */
function learnerLoss(m: LessonModule, model: ConvVae, x: tf.Tensor4D, eps: tf.Tensor2D): tf.Scalar {
  const { mu, logVar } = m.encode(model.layers, x) as Posterior;
  const z = m.reparameterise(mu, logVar, eps) as tf.Tensor2D;
  return tf.neg(m.elbo(x, m.decode(model.layers, z), mu, logVar) as tf.Scalar);
}

/** A seeded run of a small VAE trained with the learner's encoder, decoder, trick and ELBO; scored by the library. */
async function tinyRun(m: LessonModule, input: { steps: number; seed: number }) {
  const run: VaeRun = {
    model: { latentSize: 4, channels: [4, 8] }, steps: input.steps, timeBudgetSeconds: 1e9, batchSize: 16,
    learningRate: 3e-3, finalLearningRate: 3e-3, trainImages: 512, seed: input.seed,
  };
  const model = new ConvVae(run.model, new Rng(run.seed));
  const test = loadMnist("test", { limit: 200 });
  try {
    const before = elboOf(model, test, { seed: 1 }).negElbo;
    const batches = new MnistBatches(loadMnist("train", { limit: run.trainImages }), new Rng(run.seed + 1));
    const check = tf.tidy(() => {
      const x = batches.next(8).images, eps = latentNoise(new Rng(5), 8, run.model.latentSize);
      return learnerLoss(m, model, x, eps).dataSync()[0]!;
    });
    const history = await trainVae(model, batches, run, { loss: (x, eps) => learnerLoss(m, model, x, eps) });
    const after = elboOf(model, test, { seed: 1 }).negElbo;
    return { before, check, after, losses: history.loss };
  } finally {
    model.dispose();
  }
}
