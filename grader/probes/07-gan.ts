/** Probes for lesson 07: each runs one exercise on seeded inputs, inside the grader's probe process. */
import {
  tf, normalTensor, Gan, MnistBatches, Rng, bceWithLogits, discriminatorInput, discriminatorLoss, ganStep, generatorInput,
  generatorLoss, loadMnist, noiseFrom, saturatingGeneratorLoss, toSigned,
} from "@course/lib";
import type { GanConfig, GanStepLosses, LessonModule } from "@course/lib";

/** Seeded logits [n, 1] of scale `scale`, with the extremes ±60 and 0 in the first rows. */
function logits(n: number, scale: number, rng: Rng): tf.Tensor2D {
  return tf.tidy(() => tf.concat([tf.tensor2d([[60], [-60], [0]]), normalTensor<tf.Rank.R2>([n - 3, 1], scale, rng)]));
}

/** d loss/d logits of a loss function, at `x`. */
function gradOf(loss: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor2D): tf.Tensor {
  return tf.grad((t: tf.Tensor) => loss(t) as tf.Scalar)(x);
}

const TINY: GanConfig = { zDim: 8, gChannels: 8, dChannels: 4, classes: 10 };

/** `steps` seeded steps of a tiny GAN with `step`; returns the losses and a few parameters. */
function tinyRun(step: (gan: Gan, real: tf.Tensor4D, z: tf.Tensor2D, labels: tf.Tensor1D | undefined, t: number) => GanStepLosses,
  input: { steps: number; seed: number; classes: number; realTarget: number }) {
  const gan = new Gan({ ...TINY, classes: input.classes }, new Rng(input.seed), { learningRate: 2e-3, beta1: 0.5 });
  const batches = new MnistBatches(loadMnist("train", { limit: 64 }), new Rng(input.seed + 1));
  const noise = new Rng(input.seed + 2);
  const dLoss: number[] = [], gLoss: number[] = [];
  try {
    for (let i = 0; i < input.steps; i++) {
      const batch = batches.next(8);
      const real = toSigned(batch.images), z = noiseFrom(noise, 8, TINY.zDim);
      const labels = input.classes > 0 ? batch.labels : undefined;
      const losses = step(gan, real, z, labels, input.realTarget);
      dLoss.push(losses.dLoss.dataSync()[0]!);
      gLoss.push(losses.gLoss.dataSync()[0]!);
      tf.dispose([batch.images, batch.labels, real, z, losses.dLoss, losses.gLoss]);
    }
    const pick = (name: string) => gan.params.named.find((e) => e.name === name)!.variable.clone();
    return { dLoss, gLoss, gUp2: pick("g.up2.w"), dFc: pick("d.fc.w"), gBn0: pick("g.bn0.gamma") };
  } finally {
    gan.dispose();
  }
}

export const probes = {
  bce: (m: LessonModule, input: { n: number; seed: number; targets: number[] }) => {
    const x = logits(input.n, 4, new Rng(input.seed));
    try {
      const mine = input.targets.map((t) => m.bceWithLogits(x, t) as tf.Scalar);
      const library = input.targets.map((t) => bceWithLogits(x, t));
      return { mine, library };
    } finally {
      x.dispose();
    }
  },

  dLoss: (m: LessonModule, input: { n: number; seed: number; realTarget: number }) => {
    const rng = new Rng(input.seed);
    const real = logits(input.n, 3, rng), fake = logits(input.n, 3, rng);
    try {
      return {
        mine: m.discriminatorLoss(real, fake, input.realTarget) as tf.Scalar,
        library: discriminatorLoss(real, fake, input.realTarget),
        gradReal: gradOf((t) => m.discriminatorLoss(t, fake, input.realTarget) as tf.Scalar, real),
      };
    } finally {
      tf.dispose([real, fake]);
    }
  },

  gLoss: (m: LessonModule, input: { n: number; seed: number }) => {
    const x = logits(input.n, 3, new Rng(input.seed));
    try {
      return {
        nonSaturating: m.generatorLoss(x) as tf.Scalar,
        saturating: m.saturatingGeneratorLoss(x) as tf.Scalar,
        libraryNonSaturating: generatorLoss(x),
        librarySaturating: saturatingGeneratorLoss(x),
        gradNonSaturating: gradOf((t) => m.generatorLoss(t) as tf.Scalar, x),
        gradSaturating: gradOf((t) => m.saturatingGeneratorLoss(t) as tf.Scalar, x),
      };
    } finally {
      x.dispose();
    }
  },

  conditional: (m: LessonModule, input: { B: number; Z: number; H: number; classes: number; seed: number }) => {
    const rng = new Rng(input.seed);
    const z = normalTensor<tf.Rank.R2>([input.B, input.Z], 1, rng);
    const images = normalTensor<tf.Rank.R4>([input.B, input.H, input.H, 1], 1, rng);
    const labels = tf.tensor1d(Int32Array.from({ length: input.B }, () => rng.int(input.classes)), "int32");
    try {
      return {
        g: m.generatorInput(z, labels, input.classes) as tf.Tensor2D,
        d: m.discriminatorInput(images, labels, input.classes) as tf.Tensor4D,
        libraryG: generatorInput(z, labels, input.classes),
        libraryD: discriminatorInput(images, labels, input.classes),
      };
    } finally {
      tf.dispose([z, images, labels]);
    }
  },

  /** The learner's trainStep on a tiny seeded GAN; with `library`, also the library's ganStep. */
  trainStep: (m: LessonModule, input: { steps: number; seed: number; classes: number; realTarget: number; library?: boolean }) => {
    const mine = tinyRun((gan, real, z, labels, t) => m.trainStep(gan, real, z, labels, t) as GanStepLosses, input);
    return input.library ? { mine, library: tinyRun(ganStep, input) } : { mine };
  },
};
