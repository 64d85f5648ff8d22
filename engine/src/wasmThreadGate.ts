/**
 * Threads only where they pay: the wasm backend's pthreadpool, lent to large kernels alone.
 *
 * tfjs-backend-wasm hands one global pthreadpool to every XNNPACK operation it runs. A parallel
 * operation costs a wake-up and a wait for the slowest thread, which is worth it for a
 * convolution of tens of MFLOP but not for the hundreds of small products and element-wise ops
 * of a step of an LSTM or a small GPT: with 2 threads those models were 1.2× slower on an idle
 * 2-core machine while the convolutional ones were 1.3–1.4× faster (docs/PERFORMANCE.md).
 *
 * XNNPACK runs an operation on the calling thread when it is given no pool (a null pointer),
 * so the gate keeps the C++ global that holds the pool at null and puts the pool back for the
 * duration of one kernel whose estimated work is at least GATE_MIN_FLOP. The global's address
 * is not exported: it is found once, when the backend starts, as the word of the module's
 * static memory that init_with_threads_count turned from 0 into a pointer and whose zeroing
 * changes get_threads_count()'s answer (−1 in tfjs 4.22: "no pool"). If no word qualifies, the gate
 * stays off and every kernel uses the pool, as tfjs does.
 */
import type * as tf from "@tensorflow/tfjs-core";
import type { Info } from "./kernelScope";

interface GatedModule {
  HEAPU32: Uint32Array;
  tfjs: { getThreadsCount(): number };
}

/**
 * Kernels estimated below this many floating-point operations run on one thread: 4 MFLOP
 * (about 0.1 ms on one core), or GENAI_WASM_THREAD_MIN_MFLOP. 1, 2, 4, 8 and 16 MFLOP were
 * within 5 % of each other on the six benchmark models; 4 was best for the LSTM.
 */
export const GATE_MIN_FLOP = minFlop(process.env.GENAI_WASM_THREAD_MIN_MFLOP);

function minFlop(raw: string | undefined): number {
  const mflop = raw === undefined || raw.trim() === "" ? 4 : Number(raw);
  return Number.isFinite(mflop) && mflop >= 0 ? mflop * 1e6 : 4e6;
}
/** Bytes of low memory searched for the pool's global (the module's static data lies there). */
const STATIC_BYTES = 4 << 20;

let gate: { module: GatedModule; word: number; pool: number } | null = null;

/** Low memory before init_with_threads_count, to compare with afterwards. */
export function snapshotStatic(module: GatedModule): Uint32Array {
  return module.HEAPU32.slice(0, STATIC_BYTES / 4);
}

/**
 * Find the pool's global after init (see the header) and close the gate: from now on only
 * gated kernels get the pool. Returns whether the gate is active.
 */
export function installThreadGate(module: GatedModule, before: Uint32Array): boolean {
  gate = null;
  const threads = module.tfjs.getThreadsCount();
  if (threads < 2) return false;
  const heap = module.HEAPU32;
  for (let w = 0; w < before.length; w++) {
    const value = heap[w] as number;
    // A pointer to a malloc'd block lies above the word that holds it, word-aligned.
    if (before[w] !== 0 || value === 0 || value % 4 !== 0 || value <= w * 4 || value >= heap.byteLength) continue;
    heap[w] = 0;
    const alone = module.tfjs.getThreadsCount();
    heap[w] = value;
    if (alone !== threads && module.tfjs.getThreadsCount() === threads) {
      gate = { module, word: w, pool: value };
      heap[w] = 0;
      // tfjs asks right after init how many threads it got: the pool's size, gated or not.
      module.tfjs.getThreadsCount = () => threads;
      return true;
    }
  }
  return false;
}

/** Whether kernels are being gated (a threaded backend whose pool global was found). */
export function threadGateActive(): boolean {
  return gate !== null;
}

/**
 * Estimated multiply-adds × 2 of the kernels worth threads; 0 for any other kernel. For the
 * fused LSTM layer (wasmLstm.ts) it is the size of one time step's product, the unit that runs
 * in parallel.
 */
export function kernelFlop(name: string, inputs: Record<string, Info>, attrs: Record<string, unknown>): number {
  const size = (info: Info | undefined): number => (info ? info.shape.reduce((a, b) => a * b, 1) : 0);
  const last = (info: Info | undefined, k: number): number => (info ? (info.shape[info.shape.length - k] ?? 1) : 0);
  switch (name) {
    case "Conv2D":
    case "FusedConv2D": {
      const f = inputs.filter; // [fh, fw, inC, outC]
      return f ? 2 * size(inputs.x) * size(f) / Math.max(1, last(inputs.x, 1)) / stride(attrs) : 0;
    }
    case "Conv2DBackpropInput": {
      const f = inputs.filter; // dy [N, oh, ow, outC] · filter [fh, fw, inC, outC]
      return f ? 2 * size(inputs.dy) * size(f) / Math.max(1, last(f, 1)) : 0;
    }
    case "Conv2DBackpropFilter": {
      const shape = attrs.filterShape as number[] | undefined; // dy [N, oh, ow, outC] → [fh, fw, inC, outC]
      return shape ? 2 * size(inputs.dy) * shape.reduce((a, b) => a * b, 1) / Math.max(1, shape[3] ?? 1) : 0;
    }
    case "BatchMatMul":
    case "_FusedMatMul": {
      const { a, b } = inputs; // [..., M, K] · [..., K, N]
      const n = attrs.transposeB ? last(b, 2) : last(b, 1);
      const m = attrs.transposeA ? last(a, 1) : last(a, 2);
      const k = attrs.transposeA ? last(a, 2) : last(a, 1);
      // A batch with its own b is a loop of separate products (wasmMatMul.ts): each is the unit
      // that runs in parallel. A b shared by the batch makes one product of the whole batch.
      const batchesOfB = size(b) / Math.max(1, last(b, 1) * last(b, 2));
      return batchesOfB > 1 ? 2 * m * k * n : 2 * Math.max(size(a) * n, size(b) * m);
    }
    case "CourseLstmForward":
    case "CourseLstmBackward": {
      const wh = inputs.Wh, rows = inputs.xz ?? inputs.dy; // per time step: [B, H] · [H, 4H]
      return wh && rows ? 2 * (rows.shape[0] ?? 0) * size(wh) : 0;
    }
    default:
      return 0;
  }
}

function stride(attrs: Record<string, unknown>): number {
  const s = attrs.strides;
  return Array.isArray(s) ? (s[0] as number) * (s[1] as number) : typeof s === "number" ? s * s : 1;
}

/** `kernel` run with the pool when its work is at least GATE_MIN_FLOP, on one thread otherwise. */
export function gateKernel(name: string, kernel: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const g = gate;
    if (g === null) return kernel(args);
    const flop = kernelFlop(name, args.inputs as Record<string, Info>, args.attrs as Record<string, unknown>);
    if (flop < GATE_MIN_FLOP) return kernel(args);
    const heap = g.module.HEAPU32; // read each time: a grown memory has a new view
    const before = heap[g.word] as number; // the pool already, inside a gated kernel
    heap[g.word] = g.pool;
    try {
      return kernel(args);
    } finally {
      g.module.HEAPU32[g.word] = before;
    }
  };
}
