/**
 * The course's own WebAssembly SIMD kernels (engine/wasm/*.wat, each assembled by
 * `npm run build:wasm` into the committed NAME.{shared,plain}.wasm), instantiated on
 * tfjs-backend-wasm's memory: they read and write tensors where they lie on its heap, four
 * float32 (or two float64) values per instruction. A JavaScript loop over the same values is
 * scalar and bounds-checked: the convnet's max-pool gradient took 7.0 ms in JavaScript, 0.6 here.
 *
 * The threaded build's memory is a shared WebAssembly.Memory (Module.wasmMemory), the
 * single-threaded build's a plain one (Module.asm.memory); an import must match, so each has its
 * own binary. Anything missing or failing gives null, and callers keep their JavaScript path.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { type BackendWasmInternals, heapOffset, isWasmBackend } from "./wasmInternals";

/** The kernels' exports; pointers are byte offsets into the wasm heap. */
export interface SimdKernels {
  maxPool2x2Grad(x: number, dy: number, out: number, rows2: number, ow: number, c: number): void;
  adamUpdate(
    w: number, g: number, m: number, v: number, nw: number, nm: number, nv: number, n: number,
    beta1: number, beta2: number, a1: number, a2: number, k1: number, k2: number, eps: number,
  ): void;
  normSums(x: number, shift: number, s1: number, s2: number, rows: number, c: number): void;
  normGradSums(dz: number, xs: number, sd: number, sdx: number, rows: number, c: number): void;
  columnSums(x: number, acc: number, rows: number, c: number): void;
  /** out = exp(x) for the first 4·⌊count/4⌋ values (exp.wat). */
  exp(x: number, out: number, count: number): void;
  /** The norms' element-wise passes (norm.wat, wasmNormApply.ts). */
  normApply(x: number, shift: number, scale: number, offset: number, y: number, n: number, S: number, C: number): void;
  normBackDz(
    dy: number, x: number, shift: number, z: number, g: number, dz: number, xs: number,
    n: number, S: number, C: number, silu: number,
  ): void;
  normDx(dz: number, xs: number, p: number, q: number, r: number, dx: number, n: number, S: number, C: number): void;
  /** One-channel convolutions, forward and filter gradient (conv1.wat, conv1.ts). */
  conv1Forward(
    xp: number, w: number, y: number, nb: number, oh: number, ow: number, fh: number, fw: number,
    sh: number, sw: number, cout: number, rowB: number, imgB: number,
  ): void;
  conv1FilterGrad(
    xp: number, dy: number, dw: number, nb: number, oh: number, ow: number, fh: number, fw: number,
    sh: number, sw: number, cout: number, rowB: number, imgB: number,
  ): void;
  /**
   * c[m, n] (+ c when acc is 1) = A · b[k, n] with A(i, kk) at a + i·ra + kk·ca; ldb, ldc the
   * bytes between rows of b and of c; m a multiple of 4, any n (gemm.wat, wasmGemm.ts).
   */
  gemm(a: number, b: number, c: number, m: number, n: number, k: number, ra: number, ca: number, ldb: number, ldc: number, acc: number): void;
  lstmPre(xz: number, xStride: number, hz: number, z: number, b: number, h: number): void;
  lstmCell(s: number, acts: number, c: number, cStride: number, u: number, b: number, h: number): void;
  lstmHidden(su: number, acts: number, hs: number, out: number, outStride: number, b: number, h: number): void;
  lstmBack(
    acts: number, dy: number, dyc: number, dyStride: number, rec: number, c: number, cStride: number,
    dz: number, dxz: number, zxStride: number, dc: number, last: number, b: number, h: number,
  ): void;
  layerNorm(x: number, g: number, b: number, y: number, mean: number, rstd: number, n: number, c: number, eps: number): void;
  layerNormGrad(dy: number, x: number, g: number, mean: number, rstd: number, dx: number, dg: number, db: number, n: number, c: number): void;
  im2colT(
    planes: number, out: number, nb: number, h: number, w: number, oh: number, ow: number,
    fh: number, fw: number, cin: number, sh: number, top: number, left: number,
  ): void;
}

/** Float64 scratch on the wasm heap for a kernel's sums: `at` its byte offset, view() its values. */
export interface F64Scratch {
  at: number;
  /** A Float64Array over it; take it after the kernel's last allocation (growth detaches views). */
  view(): Float64Array;
  free(): void;
}

/**
 * `count` float64 values of scratch, or null where the SIMD kernels did not load (or the block
 * is not 8-byte aligned). Allocate it before the kernel's outputs and views, as any allocation.
 */
export function f64Scratch(backend: BackendWasmInternals, count: number): (F64Scratch & { simd: SimdKernels }) | null {
  const simd = simdKernels(backend);
  if (!simd) return null;
  const info = backend.makeOutput([2 * count], "float32");
  const free = () => backend.disposeData(info.dataId);
  const at = heapOffset(backend, info);
  if (at % 8 !== 0) {
    free();
    return null;
  }
  const view = () => {
    const f32 = backend.typedArrayFromHeap(info) as Float32Array;
    return new Float64Array(f32.buffer, f32.byteOffset, count);
  };
  return { simd, at, view, free };
}

type ModuleMemory = { wasmMemory?: WebAssembly.Memory; asm?: { memory?: WebAssembly.Memory } };

const instances = new WeakMap<WebAssembly.Memory, SimdKernels | null>();

/** The kernels bound to `backend`'s heap, or null where they cannot be loaded. */
export function simdKernels(backend: BackendWasmInternals): SimdKernels | null {
  const memory = heapMemory(backend);
  if (!memory) return null;
  let kernels = instances.get(memory);
  if (kernels === undefined) {
    kernels = instantiate(memory);
    instances.set(memory, kernels);
  }
  return kernels;
}

/** The modules in engine/wasm whose exports together make SimdKernels. */
const MODULES = ["kernels", "exp", "conv1", "norm", "gemm"];

/** Whether `memory` is the threaded build's (shared between threads). */
export function isShared(memory: WebAssembly.Memory): boolean {
  return typeof SharedArrayBuffer !== "undefined" && memory.buffer instanceof SharedArrayBuffer;
}

const compiled = new Map<string, WebAssembly.Module>();

/** engine/wasm/NAME.{shared,plain}.wasm compiled, for `memory`'s kind; throws if it is missing. */
export function simdModule(name: string, memory: WebAssembly.Memory): WebAssembly.Module {
  const file = `${name}.${isShared(memory) ? "shared" : "plain"}.wasm`;
  let module = compiled.get(file);
  if (!module) {
    module = new WebAssembly.Module(readFileSync(join(__dirname, "..", "wasm", file))); // engine/dist → engine/wasm
    compiled.set(file, module);
  }
  return module;
}

function instantiate(memory: WebAssembly.Memory): SimdKernels | null {
  try {
    const exports = MODULES.map((name) => new WebAssembly.Instance(simdModule(name, memory), { env: { memory } }).exports);
    return Object.assign({}, ...exports) as SimdKernels;
  } catch {
    return null; // a missing binary (`npm run build:wasm`), or an engine without SIMD
  }
}

/** The heap memory of `backend`'s module, or null. */
export function heapMemory(backend: BackendWasmInternals): WebAssembly.Memory | null {
  const module = backend.wasm as unknown as ModuleMemory;
  const memory = module.wasmMemory ?? module.asm?.memory;
  return memory instanceof WebAssembly.Memory ? memory : null;
}

/** Whether the current backend is wasm and the course's SIMD kernels run on it. */
export function wasmSimdKernelsLoaded(): boolean {
  const backend = tf.backend();
  return isWasmBackend(backend) && simdKernels(backend as BackendWasmInternals) !== null;
}
