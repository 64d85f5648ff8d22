/**
 * Build a shipped page: export a lesson's pretrained model to ONNX and write a static folder —
 * index.html (page.html), app.js (app.ts bundled with the library's sampler by esbuild),
 * model.onnx, model.json (the page's settings) and onnxruntime-web's wasm build copied from
 * node_modules (nothing is fetched from another host). Any static web server can serve it.
 */
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { exportGanGenerator, exportGpt, loadPretrainedGan, loadPretrainedGpt, serialiseModel } from "@course/lib";

const here = dirname(fileURLToPath(import.meta.url));
/** onnxruntime-web's files the page loads: the API (ESM), its wasm glue and the wasm binary (SIMD; threads stay off). */
export const ORT_WEB_FILES = ["ort.wasm.min.mjs", "ort-wasm-simd-threaded.mjs", "ort-wasm-simd-threaded.wasm"];
/** The lessons that ship, and the sampling settings of the GPT page. */
export const SHIPPABLE = ["05", "07"] as const;
export const GPT_PAGE_SAMPLING = { temperature: 0.8, topK: 20 };
/** Images per draw on the generator page: one of each digit. */
export const GAN_PAGE_BATCH = 10;

/** The lesson's exported model and the page's settings. */
function exported(lesson: (typeof SHIPPABLE)[number]): { onnx: Uint8Array; config: Record<string, unknown> } {
  if (lesson === "05") {
    const { model, itos } = loadPretrainedGpt();
    try {
      const config = { kind: "gpt", title: "A mini-GPT that read Moby-Dick", blockSize: model.blockSize, itos, ...GPT_PAGE_SAMPLING };
      return { onnx: serialiseModel(exportGpt(model)), config };
    } finally {
      model.dispose();
    }
  }
  const gan = loadPretrainedGan();
  try {
    const { zDim, classes } = gan.config;
    return { onnx: serialiseModel(exportGanGenerator(gan)), config: { kind: "gan", title: "A GAN that draws digits", zDim, classes, batch: GAN_PAGE_BATCH } };
  } finally {
    gan.dispose();
  }
}

/** Bundle app.ts: the library's sampler and Rng inlined; tfjs left out (the sampler never touches it); onnxruntime-web loaded from the copy beside the page. */
async function bundleApp(outFile: string): Promise<void> {
  await esbuild.build({
    entryPoints: [join(here, "app.ts")], outfile: outFile, bundle: true, format: "esm", platform: "browser", target: "es2022",
    logLevel: "warning", legalComments: "none",
    plugins: [{
      name: "page-imports",
      setup(build) {
        build.onResolve({ filter: /^onnxruntime-web\/wasm$/ }, () => ({ path: "./ort.wasm.min.mjs", external: true }));
        build.onResolve({ filter: /^\.\.\/(setup|tf)$/ }, () => ({ path: "tf", namespace: "no-tfjs" }));
        build.onLoad({ filter: /.*/, namespace: "no-tfjs" }, () => ({ contents: "export const tf = undefined;", loader: "js" }));
      },
    }],
  });
}

/** Write the page of `lesson` into `outDir`; returns the files written and model.onnx's size. */
export async function buildShip(lesson: string, outDir: string): Promise<{ files: string[]; onnxBytes: number }> {
  if (!(SHIPPABLE as readonly string[]).includes(lesson)) throw new Error(`npm run ship: lesson ${lesson} has no page; ships: ${SHIPPABLE.join(", ")}.`);
  const { onnx, config } = exported(lesson as (typeof SHIPPABLE)[number]);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, "model.onnx"), onnx);
  writeFileSync(join(outDir, "model.json"), JSON.stringify(config) + "\n");
  copyFileSync(join(here, "page.html"), join(outDir, "index.html"));
  const ortDist = dirname(createRequire(import.meta.url).resolve("onnxruntime-web/ort-wasm-simd-threaded.wasm"));
  for (const f of ORT_WEB_FILES) copyFileSync(join(ortDist, f), join(outDir, f));
  await bundleApp(join(outDir, "app.js"));
  return { files: ["index.html", "app.js", "model.onnx", "model.json", ...ORT_WEB_FILES], onnxBytes: onnx.length };
}
