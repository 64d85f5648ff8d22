/**
 * @course/engine: the course's speed. The compute backends and their selection, the wasm
 * kernels (engine/wasm/*.wat), wasm threads, and fused versions of functions the course teaches.
 * The course library (@course/lib) holds the maths; its seam (lib/src/seam.ts) is the one place
 * that swaps a plain function for a fast one here, and `setup()` is what fills it. Nothing here
 * imports the library.
 */
import type { Activation, BackendName } from "./types";
import { activateCpu } from "./cpu";
import { activateTensorflow } from "./tensorflow";
import { activateWasm } from "./wasm";
import { activateWebgpu } from "./webgpu";

export { BACKEND_NAMES, type Activation, type BackendName } from "./types";
export { quietCpuBackend } from "./cpu";
export { EngineError } from "./errors";

/** Start `name` and make it tfjs's backend: the device it runs on, or why it cannot be used here. */
export function activateBackend(name: BackendName): Promise<Activation> {
  const activate = { tensorflow: activateTensorflow, webgpu: activateWebgpu, wasm: activateWasm, cpu: activateCpu };
  return activate[name]();
}

// Switches and probes of the wasm backend's speed work (for tests and benchmarks).
export { fusedWasmActive, setWasmSpeedups, wasmSpeedupsEnabled } from "./wasmSpeedups";
export { GATE_MIN_FLOP, kernelFlop, threadGateActive } from "./wasmThreadGate";
export { defaultWasmThreads } from "./wasmThreads";
export { wasmSimdKernelsLoaded } from "./wasmSimd";
export { gemmHelpersReady } from "./wasmGemmThreads";

// Fused versions of the course's functions.
export * from "./fused/gpt";
export * from "./fused/lstm";
export { fusedBatchNorm, fusedBatchNormApplies, fusedGroupNorm, fusedGroupNormApplies, fusedNormActive } from "./fused/norm";
export { checkAdamInternals, fusedAdamApply, type VariableGradients } from "./fused/adam";
export { FAST_PATHS, type FastPath } from "./fast-paths";
