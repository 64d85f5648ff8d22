/** Probes for lesson 02: each runs one exercise on seeded inputs, in the grader's probe process. */
import { tf, normalTensor, CharVocab, Rng, crossEntropy, initMlpParams, loadNames, mlpForward } from "@course/lib";
import type { LessonModule, MlpConfig, MlpParams } from "@course/lib";

const SMALL = ["emma", "olivia", "ava", "isabella", "sophia", "mia", "ella", "avi"];
const TINY: MlpConfig = { vocabSize: 11, blockSize: 3, embeddingSize: 4, hiddenSize: 16 };

function words(set: "small" | "train"): string[] {
  return set === "small" ? SMALL : loadNames().train;
}

/** Seeded token windows [N, blockSize] with ids below V. */
function randomWindows(N: number, blockSize: number, V: number, rng: Rng): tf.Tensor2D {
  return tf.tensor2d(Int32Array.from({ length: N * blockSize }, () => rng.int(V)), [N, blockSize], "int32");
}

function disposeParams(p: MlpParams): void {
  tf.dispose([p.C, p.W1, p.b1, p.W2, p.b2]);
}

/** Contexts built here with plain arrays, so later exercises are tested on their own. */
function referenceContexts(ws: readonly string[], vocab: CharVocab, blockSize: number) {
  const X: number[] = [], Y: number[] = [];
  for (const w of ws) {
    const ids = [...Array<number>(blockSize).fill(0), ...vocab.encode(w), 0];
    for (let t = blockSize; t < ids.length; t++) { X.push(...ids.slice(t - blockSize, t)); Y.push(ids[t] as number); }
  }
  return { X: tf.tensor2d(X, [Y.length, blockSize], "int32"), Y: tf.tensor1d(Y, "int32") };
}

/** Adam on minibatches of the learner's pieces: the loss curve of a tiny seeded run. */
function tinyRun(m: LessonModule, input: { steps: number; batch: number; seed: number }) {
  const ws = loadNames().train.slice(0, 300);
  const vocab = CharVocab.fromWords(ws);
  const config: MlpConfig = { vocabSize: vocab.size, blockSize: 3, embeddingSize: 6, hiddenSize: 32 };
  const params = initMlpParams(config, new Rng(input.seed));
  const { X, Y } = referenceContexts(ws, vocab, config.blockSize);
  const optimizer = tf.train.adam(0.01);
  const rng = new Rng(input.seed + 1);
  const losses: number[] = [];
  try {
    for (let s = 0; s < input.steps; s++) {
      const rows = tf.tensor1d(Array.from({ length: input.batch }, () => rng.int(Y.shape[0])), "int32");
      const [xb, yb] = [tf.gather(X, rows) as tf.Tensor2D, tf.gather(Y, rows) as tf.Tensor1D];
      losses.push(m.trainStep(params, xb, yb, optimizer) as number);
      tf.dispose([rows, xb, yb]);
    }
    const full = tf.tidy(() => crossEntropy(mlpForward(params, X).expandDims(0) as tf.Tensor3D, Y.expandDims(0) as tf.Tensor2D));
    const finalLoss = full.dataSync()[0] as number;
    full.dispose();
    return { first: losses[0] as number, last: losses[losses.length - 1] as number, finalLoss, losses };
  } finally {
    optimizer.dispose();
    disposeParams(params);
    tf.dispose([X, Y]);
  }
}

export const probes = {
  contexts: (m: LessonModule, input: { set: "small" | "train"; blockSize: number }) => {
    const ws = words(input.set);
    const r = m.buildContexts(ws, CharVocab.fromWords(ws), input.blockSize) as { X: tf.Tensor2D; Y: tf.Tensor1D };
    return { X: r.X, Y: r.Y };
  },

  embed: (m: LessonModule, input: { V: number; E: number; N: number; blockSize: number; seed: number }) => {
    const rng = new Rng(input.seed);
    return tf.tidy(() => {
      const C = normalTensor<tf.Rank.R2>([input.V, input.E], 1, rng);
      const X = randomWindows(input.N, input.blockSize, input.V, rng);
      const out = m.embed(C, X) as tf.Tensor2D;
      // The same lookup as a matrix product: one-hot rows times C, one window position at a time.
      const viaOneHot = tf.concat(tf.unstack(X, 1).map((col) => tf.oneHot(col as tf.Tensor1D, input.V).toFloat().matMul(C)), 1);
      // d(Σ out)/dC: each row of C receives one gradient per occurrence of its token, times 1.
      const grad = tf.grad((c: tf.Tensor) => (m.embed(c as tf.Tensor2D, X) as tf.Tensor).sum())(C).sum(1);
      const counts = tf.oneHot(X.reshape([-1]) as tf.Tensor1D, input.V).toFloat().sum(0).mul(input.E);
      return { out, viaOneHot, grad, counts };
    });
  },

  logits: (m: LessonModule, input: { N: number; seed: number }) => {
    const params = initMlpParams(TINY, new Rng(input.seed));
    // Larger b1, W2 than the initialiser's so every term of the formula shows in the logits.
    const rng = new Rng(input.seed + 1);
    tf.tidy(() => {
      params.b1.assign(normalTensor([TINY.hiddenSize], 0.5, rng));
      params.W2.assign(normalTensor([TINY.hiddenSize, TINY.vocabSize], 0.5, rng));
      params.b2.assign(normalTensor([TINY.vocabSize], 0.5, rng));
    });
    const X = randomWindows(input.N, TINY.blockSize, TINY.vocabSize, rng);
    try {
      const logits = m.mlpLogits(params, X) as tf.Tensor2D;
      const library = mlpForward(params, X);
      return { logits, library };
    } finally {
      disposeParams(params);
      X.dispose();
    }
  },

  loss: (m: LessonModule, input: { N: number; V: number; scale: number; seed: number }) => {
    const rng = new Rng(input.seed);
    return tf.tidy(() => {
      const logits = normalTensor<tf.Rank.R2>([input.N, input.V], input.scale, rng);
      const Y = tf.tensor1d(Int32Array.from({ length: input.N }, () => rng.int(input.V)), "int32");
      const loss = m.nllLoss(logits, Y) as tf.Scalar;
      const library = crossEntropy(logits.expandDims(0) as tf.Tensor3D, Y.expandDims(0) as tf.Tensor2D);
      return { loss, library };
    });
  },

  step: (m: LessonModule, input: { N: number; seed: number }) => {
    const params = initMlpParams(TINY, new Rng(input.seed));
    const X = randomWindows(input.N, TINY.blockSize, TINY.vocabSize, new Rng(input.seed + 1));
    const Y = tf.tensor1d(Int32Array.from({ length: input.N }, (_, i) => (i * 7) % TINY.vocabSize), "int32");
    const optimizer = tf.train.adam(0.05);
    try {
      const losses = [0, 1, 2].map(() => m.trainStep(params, X, Y, optimizer) as number);
      const { C, W1, b1, W2, b2 } = params;
      return { losses, after: [C, W1, b1, W2, b2].map((v) => tf.clone(v)) };
    } finally {
      optimizer.dispose();
      disposeParams(params);
      tf.dispose([X, Y]);
    }
  },

  tinyRun,
};
