/**
 * Gradients and chained methods (`x.sum()`) for tfjs-core's CommonJS build.
 *
 * What `require("@tensorflow/tfjs-core")` loads (dist/tf-core.node.js) registers neither: every
 * tf.grad / optimizer.minimize fails with "gradient function not found for Sum". The
 * @tensorflow/tfjs umbrella package adds both by bundling tfjs-core's ES-module files
 * dist/register_all_gradients.js and dist/public/chained_ops/register_all_chained_ops.js, which
 * Node cannot load itself (their imports have no file extensions). The same bundle is made here
 * with esbuild (a course dependency) once per tfjs-core version and cached.
 *
 * The bundle carries a second copy of tfjs-core's internals, as the umbrella package's does.
 * That is harmless because the engine, the kernel and gradient registries, the flags and the
 * Tensor class live on tfjs-core's global namespace: the copy registers into the one engine.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { cacheFiles, tryWrite } from "./cache";
import { CourseError } from "./errors";

const BUNDLE_FORMAT = 1; // bump when the bundle's contents change

function coreDist(): string {
  return join(dirname(require.resolve("@tensorflow/tfjs-core/package.json")), "dist");
}

export function gradientsRegistered(): boolean {
  const chained = typeof (tf.Tensor.prototype as { sum?: unknown }).sum === "function";
  return tf.getGradient(tf.Sum) != null && chained;
}

/** The first line of an error's message, for one-line reasons. */
function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0] ?? text;
}

function buildBundle(): string {
  type Esbuild = typeof import("esbuild");
  let esbuild: Esbuild;
  try {
    esbuild = require("esbuild") as Esbuild;
  } catch (error) {
    throw new CourseError(
      "TensorFlow.js gradients cannot be set up: the esbuild package, a course dependency, " +
        `does not load (${firstLine(error)}). Run \`npm install\` in the course folder.`,
    );
  }
  const dist = coreDist();
  const entries = ["register_all_gradients.js", "public/chained_ops/register_all_chained_ops.js"];
  const contents = entries.map((e) => `import ${JSON.stringify(join(dist, e))};`).join("\n");
  const result = esbuild.buildSync({
    stdin: { contents, resolveDir: dist },
    bundle: true,
    format: "cjs",
    platform: "node",
    target: "node18",
    write: false,
    logLevel: "silent",
  });
  const file = result.outputFiles[0];
  if (!file) throw new CourseError("esbuild produced no bundle of tfjs-core's gradients.");
  return file.text;
}

/** Where the bundle is cached (see cache.ts). */
function bundleFiles(): string[] {
  const name = `tfjs-core-${tf.version_core}-gradients-v${BUNDLE_FORMAT}.cjs`;
  return cacheFiles(join(coreDist(), "..", "..", ".."), name);
}

/** Register tfjs-core's gradients and chained methods, unless something already did. */
export function ensureGradients(): void {
  if (gradientsRegistered()) return;
  const files = bundleFiles();
  const cached = files.find((f) => existsSync(f));
  if (cached) {
    require(cached);
  } else {
    const text = buildBundle();
    const written = files.find((f) => tryWrite(f, text));
    if (written) require(written);
    else new Function("module", "exports", "require", text)({ exports: {} }, {}, require);
  }
  if (!gradientsRegistered()) {
    throw new CourseError("Registering tfjs-core's gradients failed: tf.grad would not work.");
  }
}
