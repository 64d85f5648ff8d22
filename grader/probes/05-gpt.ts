/** Probes for lesson 05: each runs one exercise on seeded inputs, inside the grader's probe process. */
import {
  tf, normalTensor, CharVocab, GptLM, Rng, causalAttention, charTokens, crossEntropy, gptBlock, initGptBlock, layerNorm,
  loadMobyDick, randomWindows, splitHeads, trainLM, windowNll,
} from "@course/lib";
import type { GptBlockParams, LanguageModel, LessonModule } from "@course/lib";

/** A block whose weights are large enough that every term shows. */
function tinyBlock(C: number, seed: number): GptBlockParams {
  const p = initGptBlock(C, 1, new Rng(seed));
  const rng = new Rng(seed + 100);
  tf.tidy(() => {
    for (const v of Object.values(p) as tf.Variable[]) v.assign(normalTensor(v.shape, v.rank === 2 ? 0.3 : 0.2, rng).add(v.rank === 1 && v.shape[0] === C ? 0.5 : 0));
  });
  return p;
}

type Attention = { out: tf.Tensor4D; weights: tf.Tensor4D };

export const probes = {
  attention: (m: LessonModule, input: { shape: [number, number, number, number]; seed: number; from?: number }) => {
    const rng = new Rng(input.seed);
    const [q, k, v] = [0, 1, 2].map(() => normalTensor<tf.Rank.R4>(input.shape, 1.5, rng));
    try {
      const mine = m.causalAttention(q, k, v) as Attention;
      const library = causalAttention(q!, k!, v!);
      const result: Record<string, unknown> = { out: mine.out, weights: mine.weights, libraryOut: library.out, libraryWeights: library.weights };
      if (input.from !== undefined) { // change q, k and v at positions ≥ from: earlier outputs must not move
        const [B, H, T, D] = input.shape, f = input.from;
        const bump = (t: tf.Tensor4D) => tf.tidy(() => t.add(tf.concat([tf.zeros([B, H, f, D]), normalTensor([B, H, T - f, D], 3, rng)], 2)) as tf.Tensor4D);
        const [q2, k2, v2] = [bump(q!), bump(k!), bump(v!)];
        const changed = m.causalAttention(q2, k2, v2) as Attention;
        result.changedOut = changed.out;
        tf.dispose([q2, k2, v2, changed.weights]);
      }
      return result;
    } finally {
      tf.dispose([q!, k!, v!]);
    }
  },

  heads: (m: LessonModule, input: { shape: [number, number, number]; heads: number; seed: number }) => {
    const x = normalTensor<tf.Rank.R3>(input.shape, 1, new Rng(input.seed));
    try {
      const split = m.splitHeads(x, input.heads) as tf.Tensor4D;
      const merged = m.mergeHeads(split) as tf.Tensor3D;
      return { split, merged, x: x.clone(), library: splitHeads(x, input.heads) };
    } finally {
      x.dispose();
    }
  },

  block: (m: LessonModule, input: { B: number; T: number; C: number; heads: number; seed: number; from?: number }) => {
    const p = tinyBlock(input.C, input.seed);
    const rng = new Rng(input.seed + 1);
    const x = normalTensor<tf.Rank.R3>([input.B, input.T, input.C], 1, rng);
    try {
      const out = m.blockForward(p, x, input.heads) as tf.Tensor3D;
      const library = gptBlock(p, x, input.heads);
      library.weights.dispose();
      const result: Record<string, unknown> = { out, library: library.x };
      if (input.from !== undefined) {
        const { B, T, C } = input, f = input.from;
        const x2 = tf.tidy(() => x.add(tf.concat([tf.zeros([B, f, C]), normalTensor([B, T - f, C], 3, rng)], 1)) as tf.Tensor3D);
        result.changed = m.blockForward(p, x2, input.heads);
        x2.dispose();
      }
      return result;
    } finally {
      tf.dispose(Object.values(p) as tf.Variable[]);
      x.dispose();
    }
  },

  tinyRun: (m: LessonModule, input: { steps: number; seed: number }) => tinyRun(m, input),
};

/** A GptLM whose blocks run the learner's blockForward; embeddings and head are the library's. */
function withLearnerBlocks(m: LessonModule, model: GptLM): LanguageModel {
  const { params, config } = model;
  return {
    name: "gpt (learner's blocks)", blockSize: model.blockSize, vocabSize: model.vocabSize, variables: model.variables,
    logits: (idx: tf.Tensor2D) => tf.tidy(() => {
      const [B, T] = idx.shape, C = config.embeddingSize;
      let x = tf.gather(params.wte as tf.Tensor, idx).add(params.wpe.slice([0, 0], [T, C])) as tf.Tensor3D; // [B, T, C]
      for (const block of params.blocks) x = m.blockForward(block, x, config.heads) as tf.Tensor3D;
      const h = layerNorm(x.reshape([B * T, C]), params.lnfg, params.lnfb); // [B·T, C]
      return h.matMul(params.Whead).add(params.bhead).reshape([B, T, model.vocabSize]) as tf.Tensor3D;
    }),
  };
}

/** A seeded run of a tiny GPT built on the learner's block on Moby Dick; scored by the library. */
async function tinyRun(m: LessonModule, input: { steps: number; seed: number }) {
  const { text, train } = loadMobyDick();
  const vocab = CharVocab.fromWords([text], "\u0000");
  const tokens = charTokens(train.slice(0, 30_000), vocab);
  const model = new GptLM({ vocabSize: vocab.size, blockSize: 16, embeddingSize: 16, heads: 2, layers: 2 }, new Rng(input.seed));
  const learner = withLearnerBlocks(m, model);
  const rng = new Rng(input.seed + 1);
  const held = tokens.subarray(20_000);
  try {
    const before = await windowNll(model, held, 64);
    const check = tf.tidy(() => crossEntropy(learner.logits(tf.tensor2d(held.slice(0, 32), [2, 16], "int32")), tf.tensor2d(held.slice(1, 33), [2, 16], "int32")).dataSync()[0]);
    const history = await trainLM(learner, () => randomWindows(tokens.subarray(0, 20_000), 16, 8, rng), {
      steps: input.steps, learningRate: 1e-2, evalEvery: input.steps, evalBatches: 1, onProgress: () => {},
    });
    const after = await windowNll(model, held, 64);
    return { before, check, after, losses: history.trainLoss };
  } finally {
    model.dispose();
  }
}
