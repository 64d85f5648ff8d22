/** Probes for lesson 00: each runs one exercise on seeded inputs, in the grader's probe process. */
import { tf, Rng } from "@course/lib";
import type { LessonModule } from "@course/lib";

/** y = 3x − 1 plus seeded noise, x evenly spaced in [−1, 1]. */
function lineData(n: number, seed: number): { x: number[]; y: number[] } {
  const rng = new Rng(seed);
  const x = Array.from({ length: n }, (_, i) => -1 + (2 * i) / (n - 1));
  return { x, y: x.map((v) => 3 * v - 1 + 0.1 * rng.normal()) };
}

export const probes = {
  predict: (m: LessonModule, input: { n: number; w: number; b: number }) =>
    tf.tidy(() => m.predict(tf.tensor1d(lineData(input.n, 1).x), tf.scalar(input.w), tf.scalar(input.b))),

  mse: (m: LessonModule, input: { n: number; seed: number }) =>
    tf.tidy(() => {
      const { y } = lineData(input.n, input.seed);
      const yPred = tf.tensor1d(y.map((v, i) => v + Math.sin(i)));
      return m.mseLoss(yPred, tf.tensor1d(y));
    }),

  gradients: (m: LessonModule, input: { w: number; b: number }) =>
    tf.tidy(() => {
      const { x, y } = lineData(20, 2);
      return m.lossGradients(tf.tensor1d(x), tf.tensor1d(y), tf.scalar(input.w), tf.scalar(input.b));
    }),

  fit: (m: LessonModule, input: { steps: number; learningRate: number }) => {
    const { x, y } = lineData(50, 3);
    const xt = tf.tensor1d(x), yt = tf.tensor1d(y);
    try {
      return m.fitLine(xt, yt, input);
    } finally {
      xt.dispose();
      yt.dispose();
    }
  },
};
