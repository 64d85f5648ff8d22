/**
 * Lesson 11 quality: the committed lesson-05 GPT (datasets/pretrained/05-gpt) and lesson-07
 * conditional GAN generator (datasets/pretrained/07-gan) exported to ONNX by the library.
 *
 * - Parity (cpu backend, plain JavaScript): `gpt_parity_max_abs` is the largest |Δ| between
 *   onnxruntime-node's logits and GptLM.logits over random token ids of shapes [4, 64], [2, 17]
 *   and [1, 1]; `generator_parity_max_abs` the largest |Δ| between the images of one random batch
 *   of 100 (labels 0–9 ten times). Both draw from the eval stream of seed 42 (`setup()`).
 *   The bar is 1e-4.
 * - Speed, side by side in one process: sampling 500 characters from the GPT (prompt "Call me
 *   Ishmael. ", temperature 0.8, top-k 20, no cache: each step reads the last ≤ 64 characters)
 *   and drawing 1,000 digits in batches of 100, with the course's wasm backend (generate(),
 *   generateImages()) and with onnxruntime-node (sampleWith, ortDrawDigits), each after one short
 *   untimed warm-up run. Both sides start the sample stream over, so they draw the same random
 *   numbers: the same digits, and the same text up to the logits' last bits. `*_speedup` is wasm seconds / onnxruntime seconds. Both sides may use
 *   the machine's cores (wasm: the course's default threads; onnxruntime: its default intra-op
 *   threads); `loadavg_1m` is the machine's load when the timing ended (other processes slow both).
 * - `gpt_onnx_kib`, `generator_onnx_kib`: sizes of the exported files.
 */
import { loadavg } from "node:os";
import {
  encodeChars, exportGanGenerator, exportGpt, generate, generateImages, generatorParity, gptParity, loadOrt, loadPretrainedGan,
  loadPretrainedGpt, ortDrawDigits, ortNextLogits, ortSession, sampleWith, serialiseModel, setup, digitInputs, tf,
} from "@course/lib";
import type { Metrics } from "./types.ts";

const PROMPT = "Call me Ishmael. ";
const SAMPLING = { temperature: 0.8, topK: 20 };
const CHARS = 500, IMAGES = 1000, BATCH = 100;

async function seconds(run: () => unknown): Promise<number> {
  const t0 = performance.now();
  await run();
  return (performance.now() - t0) / 1000;
}

export async function measure(): Promise<Metrics> {
  const { streams } = await setup({ seed: 42, backend: "cpu", quiet: true });
  const { model: gpt, itos } = loadPretrainedGpt();
  const gan = loadPretrainedGan();
  const gptOnnx = serialiseModel(exportGpt(gpt)), ganOnnx = serialiseModel(exportGanGenerator(gan));
  const gptSession = await ortSession(gptOnnx), ganSession = await ortSession(ganOnnx);
  const ort = await loadOrt();
  const m: Metrics = {
    gpt_parity_max_abs: await gptParity(gpt, gptSession, streams.eval, [[4, 64], [2, 17], [1, 1]]),
    generator_parity_max_abs: await generatorParity(gan, ganSession, streams.eval, BATCH),
    gpt_onnx_kib: gptOnnx.length / 1024, generator_onnx_kib: ganOnnx.length / 1024,
  };
  await setup({ seed: 42, backend: "wasm", quiet: true }); // the backend changes; the streams above go on
  const context = encodeChars(PROMPT, itos), fresh = () => streams.fresh("sample");
  // One short untimed run of each side first: kernel compilation and first allocations are not sampling.
  generate(gpt, context, fresh(), { maxNewTokens: 2 });
  await sampleWith(ortNextLogits(ort, gptSession), context, gpt.blockSize, fresh(), { maxNewTokens: 2 });
  tf.dispose(generateImages(gan, BATCH, fresh(), BATCH));
  const warm = digitInputs(fresh(), BATCH, gan.config.zDim, gan.config.classes);
  await ortDrawDigits(ort, ganSession, warm.z, warm.labels, gan.config.zDim);
  m.gpt_wasm_seconds = await seconds(() => generate(gpt, context, fresh(), { maxNewTokens: CHARS, ...SAMPLING }));
  m.gpt_ort_seconds = await seconds(() => sampleWith(ortNextLogits(ort, gptSession), context, gpt.blockSize, fresh(), { maxNewTokens: CHARS, ...SAMPLING }));
  m.generator_wasm_seconds = await seconds(() => tf.dispose(generateImages(gan, IMAGES, fresh(), BATCH)));
  m.generator_ort_seconds = await seconds(async () => {
    const rng = fresh(); // the draws generateImages made: batch after batch from one stream
    for (let start = 0; start < IMAGES; start += BATCH) {
      const { z, labels } = digitInputs(rng, BATCH, gan.config.zDim, gan.config.classes);
      await ortDrawDigits(ort, ganSession, z, labels, gan.config.zDim);
    }
  });
  m.loadavg_1m = loadavg()[0]!;
  m.gpt_speedup = m.gpt_wasm_seconds / m.gpt_ort_seconds;
  m.generator_speedup = m.generator_wasm_seconds / m.generator_ort_seconds;
  gpt.dispose();
  gan.dispose();
  return m;
}

/** README cell: parity, the two speed-ups with their times, the file sizes and the load. */
export function summary(m: Metrics): string {
  const f = (x: number | undefined, d = 2) => x?.toFixed(d);
  return `parity max abs diff GPT ${m.gpt_parity_max_abs?.toExponential(1)}, generator ${m.generator_parity_max_abs?.toExponential(1)} (bar 1e-4) · ` +
    `500 chars: onnxruntime ${f(m.gpt_ort_seconds)} s vs wasm ${f(m.gpt_wasm_seconds)} s (×${f(m.gpt_speedup, 1)}) · ` +
    `1,000 digits: ${f(m.generator_ort_seconds)} s vs ${f(m.generator_wasm_seconds)} s (×${f(m.generator_speedup, 1)}) · ` +
    `files ${f(m.gpt_onnx_kib, 0)} KiB + ${f(m.generator_onnx_kib, 0)} KiB · load ${f(m.loadavg_1m)}`;
}
