/**
 * Training on wasm: a small model that needs every kernel setup() adds (embedding → gather's
 * gradient, conv → the filter gradient) trains, matches the cpu backend step for step, and
 * leaks nothing, neither tensors (tf.memory) nor wasm heap blocks that no tensor owns.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { Rng, setup, tf } from "@course/lib";

const [B, T, V, C, K] = [4, 12, 11, 8, 6]; // batch, tokens, vocabulary, channels, classes

interface Model {
  params: tf.Variable[];
  loss: () => tf.Scalar;
  dispose: () => void;
}

/** Embedding → conv over the token grid → dense, with fixed random weights and data. */
function makeModel(seed: number): Model {
  const r = new Rng(seed);
  const rand = (shape: number[], scale: number) => {
    const values = Float32Array.from({ length: tf.util.sizeFromShape(shape) }, () => r.normal());
    return tf.mul(tf.tensor(values, shape), scale);
  };
  // Inside tidy so that the initial values and the label ids are freed, leaving the variables.
  const [embedding, filter, dense] = tf.tidy(() => {
    const initial = [rand([V, C], 0.5), rand([3, 3, C, C], 0.2), rand([2 * 3 * C, K], 0.2)];
    return initial.map((t) => tf.variable(t));
  }) as [tf.Variable, tf.Variable, tf.Variable];
  const ids = tf.tensor2d(Array.from({ length: B * T }, () => r.int(V)), [B, T], "int32");
  const classes = Array.from({ length: B }, () => r.int(K));
  const labels = tf.tidy(() => tf.oneHot(tf.tensor1d(classes, "int32"), K));
  const loss = () =>
    tf.tidy(() => {
      const tokens = tf.gather(embedding, ids); // [B, T, C]
      const grid = tf.reshape(tokens, [B, 4, 3, C]) as tf.Tensor4D; // [B, 4, 3, C]
      const h = tf.relu(tf.conv2d(grid, filter as tf.Tensor4D, [2, 1], "same")); // [B, 2, 3, C]
      const logits = tf.matMul(tf.reshape(h, [B, -1]), dense); // [B, K]
      return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
    });
  const dispose = () => tf.dispose([embedding, filter, dense, ids, labels]);
  return { params: [embedding, filter, dense], loss, dispose };
}

/** Losses of `steps` Adam steps on `backend`, starting from the same weights every time. */
async function train(backend: string, steps: number): Promise<number[]> {
  await tf.setBackend(backend);
  const model = makeModel(5);
  // A rate that keeps the loss well above 0: near 0, float noise dominates its relative change.
  const optimizer = tf.train.adam(0.01);
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    const cost = optimizer.minimize(model.loss, true, model.params) as tf.Scalar;
    losses.push(cost.dataSync()[0] as number);
    cost.dispose();
  }
  optimizer.dispose();
  model.dispose();
  return losses;
}

beforeAll(async () => {
  await setup({ backend: "wasm", quiet: true });
});

describe("training on wasm", () => {
  it("follows the cpu backend's losses step for step, and learns", async () => {
    const cpu = await train("cpu", 8);
    const wasm = await train("wasm", 8);
    wasm.forEach((loss, i) => {
      const want = cpu[i] as number;
      expect(Math.abs(loss - want) / want).toBeLessThan(1e-4);
    });
    expect(wasm[7]).toBeLessThan((wasm[0] as number) * 0.5);
  });

  it("leaks no tensors and no wasm memory", async () => {
    await train("wasm", 1); // first use of each kernel may set up caches
    const tensors = tf.memory().numTensors;
    const blocks = tf.backend().numDataIds();
    await train("wasm", 3);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.backend().numDataIds()).toBe(blocks);
  });
});
