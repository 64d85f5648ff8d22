/** Probes for lesson 03: each runs one exercise on seeded inputs, inside the grader's probe process. */
import {
  tf, normalTensor, CharVocab, LstmLM, Rng, TbpttStreams, charTokens, generateLstm, lstmCell, loadMobyDick, streamNll,
} from "@course/lib";
import type { LessonModule, LstmConfig, LstmState } from "@course/lib";

const TINY: LstmConfig = { vocabSize: 11, blockSize: 8, embeddingSize: 5, hiddenSize: 6 };

function randomIds(B: number, T: number, V: number, rng: Rng): tf.Tensor2D {
  return tf.tensor2d(Int32Array.from({ length: B * T }, () => rng.int(V)), [B, T], "int32");
}

/** A tiny model whose biases and output layer are large enough that every term shows. */
function tinyModel(seed: number, config: LstmConfig = TINY): LstmLM {
  const model = new LstmLM(config, new Rng(seed));
  const rng = new Rng(seed + 100);
  const { b, Wout, bout } = model.params;
  tf.tidy(() => {
    b.assign(normalTensor(b.shape, 0.5, rng));
    Wout.assign(normalTensor(Wout.shape, 1, rng));
    bout.assign(normalTensor(bout.shape, 0.5, rng));
  });
  return model;
}

function randomState(B: number, H: number, rng: Rng): LstmState {
  return { h: normalTensor([B, H], 0.5, rng), c: normalTensor([B, H], 1, rng) };
}

/** The first `count` characters of Moby Dick's training text as token ids, and its vocabulary size. */
function bookTokens(count: number): { tokens: Int32Array; V: number } {
  const { text, train } = loadMobyDick();
  const vocab = CharVocab.fromWords([text], "\u0000");
  return { tokens: charTokens(train.slice(0, count), vocab), V: vocab.size };
}

function disposeState(s: LstmState | undefined): void {
  if (s) tf.dispose([s.h, s.c]);
}

export const probes = {
  cell: (m: LessonModule, input: { B: number; seed: number; keep?: boolean }) => {
    const model = tinyModel(input.seed);
    const rng = new Rng(input.seed + 1);
    const H = TINY.hiddenSize;
    if (input.keep) { // input gate bias −1000, forget gate bias +1000: σ is exactly 0 and 1
      tf.tidy(() => model.params.b.assign(tf.concat([tf.fill([H], -1000), tf.fill([H], 1000), tf.zeros([2 * H])])));
    }
    const x = normalTensor<tf.Rank.R2>([input.B, TINY.embeddingSize], 1, rng);
    const state = randomState(input.B, H, rng);
    try {
      const out = m.lstmCell(model.params, x, state) as LstmState;
      const library = lstmCell(model.params, x, state);
      return { h: out.h, c: out.c, libraryH: library.h, libraryC: library.c, cBefore: state.c.clone() };
    } finally {
      model.dispose();
      tf.dispose([x]);
      disposeState(state);
    }
  },

  unroll: (m: LessonModule, input: { B: number; T: number; seed: number; split?: number }) => {
    const model = tinyModel(input.seed);
    const rng = new Rng(input.seed + 1);
    const idx = randomIds(input.B, input.T, TINY.vocabSize, rng);
    const state = randomState(input.B, TINY.hiddenSize, rng);
    try {
      const out = m.lstmForward(model.params, idx, state) as { logits: tf.Tensor3D; state: LstmState };
      const result: Record<string, unknown> = { logits: out.logits, h: out.state.h, c: out.state.c };
      if (input.split !== undefined) { // the same text in two calls, the state carried between them
        const k = input.split;
        const [head, tail] = [idx.slice([0, 0], [input.B, k]), idx.slice([0, k], [input.B, input.T - k])];
        const first = m.lstmForward(model.params, head, state) as { logits: tf.Tensor3D; state: LstmState };
        const second = m.lstmForward(model.params, tail, first.state) as { logits: tf.Tensor3D; state: LstmState };
        result.carried = tf.concat([first.logits, second.logits], 1);
        result.carriedH = second.state.h;
        tf.dispose([head, tail, first.logits, first.state.h, first.state.c, second.logits, second.state.c]);
        const library = model.run(idx, state);
        result.library = library.logits;
        tf.dispose([library.state.h, library.state.c]);
      }
      return result;
    } finally {
      model.dispose();
      tf.dispose([idx]);
      disposeState(state);
    }
  },

  batches: (m: LessonModule, input: { source: "random" | "book"; n: number; B: number; T: number; steps: number[] }) => {
    const tokens = input.source === "book" ? bookTokens(input.n).tokens : Int32Array.from({ length: input.n }, (_, i) => (i * 7919) % 97);
    const streams = new TbpttStreams(tokens, input.B, input.T);
    return input.steps.map((step) => {
      const r = m.tbpttBatch(tokens, input.B, input.T, step) as { x: tf.Tensor2D; y: tf.Tensor2D };
      const lib = streams.batchAt(step);
      return { x: r.x, y: r.y, libraryX: lib.x, libraryY: lib.y };
    });
  },

  steps: (m: LessonModule, input: { B: number; T: number; seed: number }) => {
    const model = tinyModel(input.seed);
    const rng = new Rng(input.seed + 1);
    const optimizer = tf.train.adam(0.05);
    let state: LstmState = { h: tf.zeros([input.B, TINY.hiddenSize]), c: tf.zeros([input.B, TINY.hiddenSize]) };
    const losses: number[] = [];
    try {
      for (let k = 0; k < 3; k++) {
        const [x, y] = [randomIds(input.B, input.T, TINY.vocabSize, rng), randomIds(input.B, input.T, TINY.vocabSize, rng)];
        const r = m.tbpttStep(model.params, x, y, state, optimizer) as { loss: number; state: LstmState };
        disposeState(state);
        state = r.state;
        losses.push(r.loss);
        tf.dispose([x, y]);
      }
      return { losses, after: model.variables.map((v) => tf.clone(v)), h: state.h.clone() };
    } finally {
      optimizer.dispose();
      disposeState(state);
      model.dispose();
    }
  },

  tinyRun: (m: LessonModule, input: { steps: number; B: number; T: number; seed: number }) => {
    return tinyRun(m, input);
  },

  sample: (m: LessonModule, input: { seed: number; context: number[]; n: number; temperature: number }) => {
    const model = tinyModel(input.seed);
    try {
      const tokens = m.sampleText(model, input.context, new Rng(input.seed + 2), input.n, input.temperature) as number[];
      const library = generateLstm(model, input.context, new Rng(input.seed + 2), { maxNewTokens: input.n, temperature: input.temperature });
      return { tokens, library };
    } finally {
      model.dispose();
    }
  },
};

/** A seeded run of the learner's tbpttStep on Moby Dick's batches; scored by the library. */
async function tinyRun(m: LessonModule, input: { steps: number; B: number; T: number; seed: number }) {
  const { tokens, V } = bookTokens(20_000);
  const model = new LstmLM({ vocabSize: V, blockSize: input.T, embeddingSize: 8, hiddenSize: 32 }, new Rng(input.seed));
  const optimizer = tf.train.adam(0.02);
  const streams = new TbpttStreams(tokens, input.B, input.T);
  let state: LstmState = { h: tf.zeros([input.B, 32]), c: tf.zeros([input.B, 32]) };
  const losses: number[] = [];
  try {
    const before = await streamNll(model, tokens.subarray(0, 4000), 8, 100);
    for (let s = 0; s < input.steps; s++) {
      const { x, y } = streams.next(); // the library's batches, so tbpttStep is tested on its own
      const r = m.tbpttStep(model.params, x, y, state, optimizer) as { loss: number; state: LstmState };
      disposeState(state);
      state = r.state;
      losses.push(r.loss);
      tf.dispose([x, y]);
    }
    const after = await streamNll(model, tokens.subarray(0, 4000), 8, 100);
    return { before, after, losses };
  } finally {
    optimizer.dispose();
    disposeState(state);
    model.dispose();
  }
}
