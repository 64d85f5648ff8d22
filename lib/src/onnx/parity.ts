/**
 * Parity between an exported model in onnxruntime and the same model in TensorFlow.js: the
 * largest absolute difference over random inputs drawn from the caller's stream. Run them with
 * the cpu backend active (plain JavaScript, the course's test oracle); the bar is 1e-4.
 */
import type { Gan } from "../gan/gan";
import type { GptLM } from "../lm/gpt";
import type { Rng } from "../random";
import { tf } from "../tf";
import type { OrtSession } from "./ort-node";
import { loadOrt } from "./ort-node";
import { digitInputs, ortDrawDigits } from "./sampler";

/** max |a − b| over two equally long arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`maxAbsDiff: lengths differ (${a.length} vs ${b.length}).`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

/**
 * Logits of the GPT in both runtimes for token ids of each [B, T] in `sizes`, drawn from `rng`
 * (a measurement's draws: `streams.eval`); returns the largest |Δ|.
 */
export async function gptParity(model: GptLM, session: OrtSession, rng: Rng, sizes: [number, number][]): Promise<number> {
  const ort = await loadOrt();
  let worst = 0;
  for (const [B, T] of sizes) {
    const ids = Int32Array.from({ length: B * T }, () => rng.int(model.vocabSize));
    const want = tf.tidy(() => model.logits(tf.tensor2d(ids, [B, T], "int32")).dataSync()); // [B, T, V]
    const out = await session.run({ tokens: new ort.Tensor("int32", ids, [B, T]) });
    worst = Math.max(worst, maxAbsDiff(out.logits!.data as Float32Array, want));
  }
  return worst;
}

/**
 * Images of the generator in both runtimes for one batch of n noise vectors drawn from `rng`
 * (labels 0…K−1 repeated); returns the largest |Δ|.
 */
export async function generatorParity(gan: Gan, session: OrtSession, rng: Rng, n: number): Promise<number> {
  const ort = await loadOrt();
  const { zDim, classes } = gan.config;
  const { z, labels } = digitInputs(rng, n, zDim, classes);
  const want = tf.tidy(() => gan.generate(tf.tensor2d(z, [n, zDim]), classes > 0 ? tf.tensor1d(labels, "int32") : undefined).dataSync());
  return maxAbsDiff(await ortDrawDigits(ort, session, z, classes > 0 ? labels : null, zDim), want);
}
