/**
 * Sampling from exported models with onnxruntime — the same code in Node (onnxruntime-node) and in
 * a web page (onnxruntime-web): it takes the runtime's module as an argument and imports nothing
 * but the course's seeded Rng and its token filter (lm/sample.ts's sampleToken), so a seed gives
 * the same text and the same digits in both places.
 */
import { CourseError } from "../errors";
import { sampleToken, type SampleOptions } from "../lm/sample";
import type { Rng } from "../random";

/** The parts of onnxruntime's API used here (onnxruntime-node and onnxruntime-web share them). */
export interface OrtTensorLike { data: unknown; dims: readonly number[] }
export interface OrtModuleLike { Tensor: new (type: "int32" | "float32", data: Int32Array | Float32Array, dims: number[]) => unknown }
export interface OrtSessionLike { run(feeds: Record<string, unknown>): Promise<Record<string, OrtTensorLike>> }

/** Next-token logits of the last position of a window of token ids.  [T] → [V] */
export type NextLogits = (window: Int32Array) => Promise<Float32Array>;

/** NextLogits from an exported GPT session: tokens [1, T] → logits [1, T, V], the last row kept. */
export function ortNextLogits(ort: OrtModuleLike, session: OrtSessionLike): NextLogits {
  return async (window) => {
    const out = await session.run({ tokens: new ort.Tensor("int32", window, [1, window.length]) });
    const logits = out.logits!;
    const V = logits.dims[2]!;
    return (logits.data as Float32Array).slice((window.length - 1) * V, window.length * V);
  };
}

/**
 * Extend `context` by `maxNewTokens` ids as lm/sample.ts's generate() does — crop to the last
 * blockSize ids, take the last position's logits, draw with temperature/top-k/top-p from `rng` —
 * with logits from any runtime. Returns only the new ids.
 */
export async function sampleWith(next: NextLogits, context: readonly number[], blockSize: number, rng: Rng, options: SampleOptions & { maxNewTokens: number }): Promise<number[]> {
  if (context.length === 0) throw new CourseError("sampleWith() needs at least one context token.");
  const tokens = [...context], out: number[] = [];
  for (let i = 0; i < options.maxNewTokens; i++) {
    const id = sampleToken(await next(Int32Array.from(tokens.slice(-blockSize))), rng, options);
    tokens.push(id);
    out.push(id);
  }
  return out;
}

/** Text → ids with a character vocabulary (`itos[i]` is id i's character); unknown characters are dropped. */
export function encodeChars(text: string, itos: readonly string[]): number[] {
  const stoi = new Map(itos.map((c, i) => [c, i]));
  return [...text].flatMap((c) => (stoi.has(c) ? [stoi.get(c)!] : []));
}

/**
 * The generator's inputs for one batch: z ~ N(0, 1) drawn from `rng` in the order gan.ts's
 * noiseFrom draws them (so one stream gives generateImages the same digits), labels 0…K−1
 * repeated.  → z [n·Z], labels [n]
 */
export function digitInputs(rng: Rng, n: number, zDim: number, classes: number): { z: Float32Array; labels: Int32Array } {
  return {
    z: Float32Array.from({ length: n * zDim }, () => rng.normal()),
    labels: Int32Array.from({ length: n }, (_, i) => (classes > 0 ? i % classes : 0)),
  };
}

/** Run an exported generator: z [n, Z] (+ labels [n]) → images [n, 28, 28, 1] in [−1, 1], flat. */
export async function ortDrawDigits(ort: OrtModuleLike, session: OrtSessionLike, z: Float32Array, labels: Int32Array | null, zDim: number): Promise<Float32Array> {
  const n = z.length / zDim;
  const feeds: Record<string, unknown> = { z: new ort.Tensor("float32", z, [n, zDim]) };
  if (labels) feeds.labels = new ort.Tensor("int32", labels, [n]);
  const out = await session.run(feeds);
  return out.images!.data as Float32Array;
}
