/**
 * The shipped page's script (bundled by scripts/ship/build.ts into app.js): loads model.onnx with
 * onnxruntime-web (wasm, one thread: a static host sends no cross-origin isolation headers) and
 * samples with the library's own seeded sampler, the code Node runs, so a seed gives the same text
 * or digits in both. The page reads its settings from model.json.
 */
import * as ort from "onnxruntime-web/wasm"; // rewritten to ./ort.wasm.min.mjs (copied beside the page) by build.ts
import {
  type OrtModuleLike, type OrtSessionLike, digitInputs, encodeChars, ortDrawDigits, ortNextLogits, sampleWith,
} from "../../lib/src/onnx/sampler";
import { Rng } from "../../lib/src/random";

interface GptPage { kind: "gpt"; title: string; blockSize: number; itos: string[]; temperature: number; topK: number }
interface GanPage { kind: "gan"; title: string; zDim: number; classes: number; batch: number }

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = (text: string) => { $("status").textContent = text; };

async function gptPage(config: GptPage, session: OrtSessionLike): Promise<void> {
  $("gpt").hidden = false;
  const next = ortNextLogits(ort as unknown as OrtModuleLike, session);
  $<HTMLButtonElement>("sample").onclick = async () => {
    const prompt = $<HTMLTextAreaElement>("prompt").value;
    const seed = Number($<HTMLInputElement>("seed").value), length = Number($<HTMLInputElement>("length").value);
    const context = encodeChars(prompt, config.itos);
    if (context.length === 0) { status("Type a prompt of letters from the book first."); return; }
    status("sampling…");
    const t0 = performance.now();
    const ids = await sampleWith(next, context, config.blockSize, new Rng(seed), { maxNewTokens: length, temperature: config.temperature, topK: config.topK });
    $("output").textContent = ids.map((i) => config.itos[i]).join("");
    status(`done: ${length} characters in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
  };
}

/** Draw one 28×28 image in [−1, 1] (flat, index `k` of the batch) into a canvas, grey levels. */
function paint(canvas: HTMLCanvasElement, images: Float32Array, k: number): void {
  const ctx = canvas.getContext("2d")!;
  const img = ctx.createImageData(28, 28);
  for (let p = 0; p < 784; p++) {
    const v = Math.round(Math.min(1, Math.max(0, (images[k * 784 + p]! + 1) / 2)) * 255);
    img.data.set([v, v, v, 255], 4 * p);
  }
  ctx.putImageData(img, 0, 0);
}

async function ganPage(config: GanPage, session: OrtSessionLike): Promise<void> {
  $("gan").hidden = false;
  const row = $("row");
  const canvases = Array.from({ length: config.batch }, () => Object.assign(document.createElement("canvas"), { width: 28, height: 28 }));
  row.append(...canvases);
  $<HTMLButtonElement>("draw").onclick = async () => {
    const seed = Number($<HTMLInputElement>("digit-seed").value), digit = Number($<HTMLSelectElement>("digit").value);
    status("drawing…");
    const { z, labels } = digitInputs(new Rng(seed), config.batch, config.zDim, config.classes); // the seed typed in the page; labels 0…9
    const images = await ortDrawDigits(ort as unknown as OrtModuleLike, session, z, config.classes > 0 ? labels : null, config.zDim);
    canvases.forEach((c, k) => paint(c, images, k));
    paint($<HTMLCanvasElement>("big"), images, digit % config.batch);
    (window as unknown as { lastImages: number[] }).lastImages = Array.from(images);
    status(`done: digit ${digit}`);
  };
}

async function main(): Promise<void> {
  const config = (await (await fetch("model.json")).json()) as GptPage | GanPage;
  document.title = config.title;
  $("title").textContent = config.title;
  ort.env.wasm.numThreads = 1;
  const session = (await ort.InferenceSession.create("model.onnx", { executionProviders: ["wasm"] })) as unknown as OrtSessionLike;
  if (config.kind === "gpt") await gptPage(config, session);
  else await ganPage(config, session);
  status("ready");
}

main().catch((err: unknown) => status(`error: ${err instanceof Error ? err.message : String(err)}`));
