/**
 * The parts of tfjs-backend-wasm 4.22's BackendWasm (not in its public types) that the faster
 * kernels use, and heap aliases: tensor ids that name a stretch of an existing tensor's memory,
 * so that one batch of a [B, M, K] tensor can be handed to XNNPACK without a copy.
 *
 * The C++ side keeps a map id → (offset, size) and runs callbacks when an id is disposed (the
 * matmul and conv kernels free the XNNPACK operators they cached for that id then). An alias
 * is registered there only; BackendWasm's own bookkeeping never sees it, so `numDataIds()` is
 * unchanged, and disposing it frees no memory.
 */
import * as tf from "@tensorflow/tfjs-core";
import { Info } from "./kernelScope";

export interface WasmModule {
  cwrap(name: string, returnType: null | "number", argTypes: string[]): (...args: unknown[]) => unknown;
  HEAPU8: Uint8Array;
  tfjs: {
    registerTensor(id: number, size: number, memoryOffset: number): void;
    disposeData(id: number): void;
  };
}

interface TensorData {
  id: number;
  memoryOffset: number;
}

export interface BackendWasmInternals extends tf.KernelBackend {
  wasm: WasmModule;
  dataIdNextNumber: number;
  dataIdMap: { get(dataId: tf.DataId): TensorData | undefined };
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number): Info;
  typedArrayFromHeap(info: Info): tf.TypedArray;
}

/** Whether `backend` is a BackendWasm (under whatever name it was registered). */
export function isWasmBackend(backend: tf.KernelBackend | null | undefined): boolean {
  const b = backend as Partial<BackendWasmInternals> | null | undefined;
  return typeof b?.wasm === "object" && b.wasm !== null && typeof b.dataIdMap === "object";
}

/** The C++ tensor id of `info`. */
export function heapId(backend: BackendWasmInternals, info: Info): number {
  const data = backend.dataIdMap.get(info.dataId);
  if (!data) throw new Error("wasm kernel input is not on the wasm backend");
  return data.id;
}

/** The byte offset of `info`'s values on the wasm heap. */
export function heapOffset(backend: BackendWasmInternals, info: Info): number {
  const data = backend.dataIdMap.get(info.dataId);
  if (!data) throw new Error("wasm kernel input is not on the wasm backend");
  return data.memoryOffset;
}

/**
 * A new float32 block holding x [nb, h, w, c] zero-padded to [nb, hp, wp, c], x's pixel (0, 0)
 * at (top, left) (rows and columns that fall outside are cut), then `extra` more zeros; 1-D, for
 * the course's kernels that read it through offsets. tfjs-backend-wasm's PadV2 takes ~12 ns a
 * value here; a fill and one copy per row ~2.
 */
export function padOnHeap(
  backend: BackendWasmInternals, x: Info, hp: number, wp: number, top: number, left: number, extra = 0,
): Info {
  const [nb, h, w, c] = x.shape as [number, number, number, number];
  const out = backend.makeOutput([nb * hp * wp * c + extra], "float32");
  const to = backend.typedArrayFromHeap(out) as Float32Array, from = backend.typedArrayFromHeap(x) as Float32Array;
  to.fill(0);
  const c0 = Math.max(0, -left), c1 = Math.min(w, wp - left); // x's columns that land inside
  for (let n = 0; n < nb; n++) {
    for (let r = Math.max(0, -top); r < Math.min(h, hp - top); r++) {
      const src = ((n * h + r) * w + c0) * c;
      to.set(from.subarray(src, src + (c1 - c0) * c), ((n * hp + r + top) * wp + c0 + left) * c);
    }
  }
  return out;
}

/** Aliases made for one kernel call; dispose() unregisters them all (the memory stays). */
export class HeapAliases {
  private ids: number[] = [];

  constructor(private readonly backend: BackendWasmInternals) {}

  /** A new C++ tensor id for `size` floats starting at byte `offset`. */
  alias(offset: number, size: number): number {
    const id = this.backend.dataIdNextNumber++;
    this.backend.wasm.tfjs.registerTensor(id, size, offset);
    this.ids.push(id);
    return id;
  }

  dispose(): void {
    for (const id of this.ids) this.backend.wasm.tfjs.disposeData(id);
    this.ids = [];
  }
}

/**
 * New float32 outputs of `shapes`, then float32 views of `inputs` and the outputs, in that order
 * (views only after makeOutput, which may grow and so detach the heap). For the JavaScript
 * kernels that work on the heap directly; `kernel` names them in the dtype error.
 */
export function float32Outputs(
  backend: BackendWasmInternals, inputs: Info[], shapes: number[][], kernel: string,
): { outs: Info[]; v: Float32Array[] } {
  for (const t of inputs) {
    if (t.dtype !== "float32") throw new Error(`${kernel} takes float32 tensors, got ${t.dtype}`);
  }
  const outs = shapes.map((s) => backend.makeOutput(s, "float32"));
  return { outs, v: [...inputs, ...outs].map((t) => backend.typedArrayFromHeap(t) as Float32Array) };
}

/** Register kernels under the course's own names for 'wasm', each once (no tfjs kernel is replaced). */
export function registerNewWasmKernels(kernels: ReadonlyArray<readonly [string, unknown]>): void {
  for (const [kernelName, kernelFunc] of kernels) {
    if (tf.getKernel(kernelName, "wasm")) continue;
    tf.registerKernel({ kernelName, backendName: "wasm", kernelFunc: kernelFunc as tf.KernelFunc });
  }
}

/** One cwrap per wasm module instance (a backend re-initialised gets a new module). */
export function cwrapOnce<F>(make: (wasm: WasmModule) => F): (backend: BackendWasmInternals) => F {
  const cache = new WeakMap<WasmModule, F>();
  return (backend) => {
    let f = cache.get(backend.wasm);
    if (f === undefined) {
      f = make(backend.wasm);
      cache.set(backend.wasm, f);
    }
    return f;
  };
}
