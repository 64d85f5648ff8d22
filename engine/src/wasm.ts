/**
 * The wasm backend (XNNPACK compiled to WebAssembly), made trainable. It is the default on a
 * machine without a GPU: ~25× the pure-JavaScript cpu backend on matmuls. tfjs disables its
 * threads under Node; wasmThreads.ts brings them back (GENAI_WASM_THREADS, by default half the
 * logical cores but at least 2) for large kernels only (wasmThreadGate.ts), and wasmSpeedups.ts
 * replaces its slow kernels. GENAI_WASM_SPEEDUPS=0 turns
 * both off (tfjs's kernels and one thread, plus the fixes of wasmKernels.ts).
 */
import * as tf from "@tensorflow/tfjs-core";
import { Activation, firstLine } from "./types";
import { registerWasmTrainingKernels } from "./wasmKernels";
import { setWasmSpeedups, wasmSpeedupsRequested } from "./wasmSpeedups";
import { installThreadedWasm, wasmThreadsFailure, wasmThreadsRequested } from "./wasmThreads";

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
  const speedups = wasmSpeedupsRequested();
  setWasmSpeedups(speedups);
  const threaded = speedups && installThreadedWasm(wasm, wasmThreadsRequested());
  if (!(await tf.setBackend("wasm"))) {
    const why = "its WebAssembly module failed to initialise (see the warning above)";
    return { ok: false, why };
  }
  const simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
  const threads = wasm.getThreadsCount();
  const why = threaded ? wasmThreadsFailure() : null;
  const threadCount = `${threads} thread${threads === 1 ? "" : "s"}` +
    (why ? ` (threads failed to start: ${why})` : "");
  return { ok: true, device: `XNNPACK, ${simd ? "SIMD" : "no SIMD"}, ${threadCount}` };
}
