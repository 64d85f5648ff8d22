/** Lesson 00 quality: the reference line fit on y = 3x − 1 + noise recovers w and b. */
import { lesson, setup, tf } from "@course/lib";
import type { Metrics } from "./types.ts";

export async function measure(): Promise<Metrics> {
  await setup({ seed: 42, quiet: true });
  const ex = lesson("00", { target: "solutions" });
  const n = 200;
  const xs = Array.from({ length: n }, (_, i) => -1 + (2 * i) / (n - 1));
  const noise = tf.randomNormal([n], 0, 0.1, "float32", 7).arraySync() as number[];
  const x = tf.tensor1d(xs), y = tf.tensor1d(xs.map((v, i) => 3 * v - 1 + (noise[i] as number)));
  const fit = ex.fitLine(x, y, { steps: 100, learningRate: 0.3 }) as { w: number; b: number; losses: number[] };
  tf.dispose([x, y]);
  return { w: fit.w, b: fit.b, final_mse: fit.losses.at(-1) as number };
}

/** README cell: the fitted line against the truth. */
export function summary(m: Metrics): string {
  return `fit w = ${m.w?.toFixed(3)}, b = ${m.b?.toFixed(3)} (truth 3, −1)`;
}
