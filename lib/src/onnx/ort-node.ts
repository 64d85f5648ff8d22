/**
 * onnxruntime-node for the course: open an exported model from its bytes on the CPU. The npm
 * package holds the CPU build; installing it with ONNXRUNTIME_NODE_INSTALL=skip (or the .npmrc
 * key `onnxruntime-node-install=skip`) skips the download of CUDA libraries its install step
 * otherwise attempts. Loaded on first use, so importing the library does not load the native
 * runtime.
 */
import type * as OrtNode from "onnxruntime-node";

export type OrtSession = OrtNode.InferenceSession;

let loaded: typeof OrtNode | undefined;

/** The onnxruntime-node module (its Tensor, InferenceSession, env). */
export async function loadOrt(): Promise<typeof OrtNode> {
  loaded ??= await import("onnxruntime-node");
  return loaded;
}

/** An inference session on the CPU; `threads` sets intra-op threads (default: onnxruntime's choice). */
export async function ortSession(model: Uint8Array, threads?: number): Promise<OrtSession> {
  const ort = await loadOrt();
  return ort.InferenceSession.create(model, {
    executionProviders: ["cpu"],
    graphOptimizationLevel: "all",
    ...(threads ? { intraOpNumThreads: threads } : {}),
  });
}
