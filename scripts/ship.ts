/**
 * `npm run ship -- NN [--out DIR] [--serve [PORT]]`: a static web page that runs lesson NN's
 * pretrained model in the browser with onnxruntime-web — 05: a prompt box that samples
 * Moby-Dick-like text; 07: a button that draws digits. Writes ship/NN/ (or DIR); with --serve it
 * then serves the folder on http://127.0.0.1:PORT/ (default 8011) until you stop it.
 */
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { setup } from "@course/lib";
import { buildShip, SHIPPABLE } from "./ship/build.ts";
import { serveFolder } from "./ship/serve.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { out: { type: "string" }, serve: { type: "string" } },
  args: process.argv.slice(2).map((a, i, all) => (a === "--serve" && (all[i + 1] === undefined || all[i + 1]!.startsWith("--")) ? "--serve=8011" : a)),
});
const lesson = positionals[0];
if (!lesson || !(SHIPPABLE as readonly string[]).includes(lesson)) {
  console.error(`usage: npm run ship -- NN [--out DIR] [--serve [PORT]]   (NN: ${SHIPPABLE.join(" or ")})`);
  process.exit(2);
}
await setup({ seed: 0, backend: "cpu", quiet: true }); // loading the checkpoint needs a tfjs backend; the export reads weights only
const out = resolve(values.out ?? join("ship", lesson));
const { files, onnxBytes } = await buildShip(lesson, out);
console.log(`wrote ${out}: ${files.join(", ")} (model.onnx ${(onnxBytes / 1024).toFixed(0)} KiB)`);
if (values.serve !== undefined) {
  const { url } = await serveFolder(out, Number(values.serve));
  console.log(`serving on ${url} — open it in a browser; Ctrl-C stops`);
}
