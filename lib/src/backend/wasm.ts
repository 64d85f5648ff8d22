/**
 * The wasm backend (XNNPACK compiled to WebAssembly), made trainable. It is the default on a
 * machine without a GPU: ~25× the pure-JavaScript cpu backend on matmuls. tfjs disables its
 * threads under Node, so it runs on one core.
 */
import * as tf from "@tensorflow/tfjs-core";
import { Activation, firstLine } from "./types";
import { registerWasmTrainingKernels } from "./wasmKernels";

type WasmPackage = typeof import("@tensorflow/tfjs-backend-wasm");

/** Loaded on first use: importing the package registers 'wasm', which then needs async init. */
function loadWasmPackage(): WasmPackage {
  return require("@tensorflow/tfjs-backend-wasm") as WasmPackage;
}

export async function activateWasm(): Promise<Activation> {
  let wasm: WasmPackage;
  try {
    wasm = loadWasmPackage();
  } catch (error) {
    const why = `@tensorflow/tfjs-backend-wasm cannot be loaded (${firstLine(error)})`;
    return { ok: false, why };
  }
  registerWasmTrainingKernels();
  if (!(await tf.setBackend("wasm"))) {
    const why = "its WebAssembly module failed to initialise (see the warning above)";
    return { ok: false, why };
  }
  const simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
  const threads = wasm.getThreadsCount();
  const threadCount = `${threads} thread${threads === 1 ? "" : "s"}`;
  return { ok: true, device: `XNNPACK, ${simd ? "SIMD" : "no SIMD"}, ${threadCount}` };
}
