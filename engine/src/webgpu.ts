/**
 * WebGPU in Node through dawn.node (the `webgpu` package), used only when a hardware adapter
 * exists: Dawn's software adapters (lavapipe, SwiftShader) are slower than wasm.
 *
 * tfjs-backend-webgpu registers itself only if `navigator.gpu` exists when it is imported, so
 * Dawn's globals and a navigator go in first. Dawn keeps the process alive while `navigator`
 * holds its GPU object, so it is deleted when the process is about to exit.
 *
 * Only asynchronous reads work: tfjs-backend-webgpu reads synchronously through an
 * OffscreenCanvas, which Node lacks, and dawn.node offers no blocking wait. A synchronous read
 * (dataSync, arraySync, print) of a tensor on the GPU fails with an EngineError saying so.
 */
import { pathToFileURL } from "node:url";
import * as tf from "@tensorflow/tfjs-core";
import { describeAdapter, probeHardwareAdapter } from "./webgpuProbe";
import { EngineError } from "./errors";
import { Activation, firstLine } from "./types";

interface Dawn {
  create(options: string[]): unknown;
  globals: object;
}

// A real dynamic import: tsc would turn `import()` into `require()` in this CommonJS build.
const importEsm = new Function("specifier", "return import(specifier)") as (
  specifier: string,
) => Promise<unknown>;

/** `entry` is the resolved file: a bare "webgpu" in import() would resolve from the cwd. */
async function loadDawn(entry: string): Promise<Dawn> {
  try {
    return (await importEsm(pathToFileURL(entry).href)) as Dawn;
  } catch {
    return require(entry) as Dawn; // where import() is unavailable (some vm contexts)
  }
}

let navigatorInstalled = false;

async function installNavigator(entry: string): Promise<void> {
  if (navigatorInstalled) return;
  const dawn = await loadDawn(entry);
  Object.assign(globalThis, dawn.globals);
  const navigator = { gpu: dawn.create([]) };
  const property = { value: navigator, configurable: true, writable: true };
  Object.defineProperty(globalThis, "navigator", property);
  const release = (): void => {
    delete (globalThis as { navigator?: unknown }).navigator;
  };
  process.once("beforeExit", release);
  process.once("exit", release);
  navigatorInstalled = true;
}

function resolveWebgpu(): string | null {
  try {
    return require.resolve("webgpu");
  } catch {
    return null;
  }
}

const SYNC_READ = "A tensor on the GPU was read synchronously (dataSync(), arraySync(), print() or " +
  "a library function that uses them). WebGPU in Node can only read asynchronously: use " +
  "`await t.data()` or `await t.array()`, or run on wasm (setup({ backend: \"wasm\" }) or " +
  "GENAI_BACKEND=wasm).";

interface WebgpuInternals {
  readSync(dataId: object): unknown;
  tensorMap: { get(dataId: object): { values?: unknown; dtype: string } | undefined };
}

/** Values already on the CPU are still returned; a read from the GPU throws SYNC_READ. */
function explainSyncReads(): void {
  const backend = tf.findBackend("webgpu") as unknown as WebgpuInternals & { genaiGuarded?: boolean };
  if (!backend || backend.genaiGuarded) return;
  const readSync = backend.readSync.bind(backend);
  backend.readSync = (dataId: object) => {
    const data = backend.tensorMap.get(dataId);
    if (data && (data.values != null || data.dtype === "string")) return readSync(dataId);
    throw new EngineError(SYNC_READ);
  };
  backend.genaiGuarded = true;
}

export async function activateWebgpu(): Promise<Activation> {
  const entry = resolveWebgpu();
  if (!entry) return { ok: false, why: "the `webgpu` package (dawn.node) is not installed" };
  const probe = await probeHardwareAdapter(entry);
  if (!probe.ok) return probe;
  try {
    await installNavigator(entry);
    require("@tensorflow/tfjs-backend-webgpu");
  } catch (error) {
    const why = `dawn.node or tfjs-backend-webgpu failed to load (${firstLine(error)})`;
    return { ok: false, why };
  }
  if (!tf.findBackendFactory("webgpu")) {
    return {
      ok: false,
      why: "@tensorflow/tfjs-backend-webgpu was imported before setup() and so did not register; " +
        "call setup() before importing it",
    };
  }
  if (!(await tf.setBackend("webgpu"))) {
    return { ok: false, why: "the WebGPU device failed to initialise (see the warning above)" };
  }
  explainSyncReads();
  return { ok: true, device: describeAdapter(probe.adapter) };
}
