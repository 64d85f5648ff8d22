/**
 * gemm (engine/wasm/gemm.wat) on every thread the wasm backend was given.
 *
 * The course's own kernels run on the calling thread; XNNPACK's pool cannot run them. Where the
 * backend is threaded (its heap a shared memory) and has T > 1 threads, T − 1 helper workers
 * (gemmWorker.ts) instantiate gemm on the same memory. A product is cut into blocks of rows of
 * c, each ~BLOCK_MACS multiply-adds; the calling thread publishes the job, wakes the helpers
 * with Atomics.notify and takes blocks itself, and every thread takes the next free block until
 * none is left (gemmControl.ts). A sleeping helper takes ~20-100 µs to wake, so a fixed half
 * each would make the caller wait for it; with blocks, the caller simply does more of them.
 * Products under 2 blocks stay on the calling thread.
 *
 * Helpers start on the first product that could use them and are used once they have loaded;
 * they are unref'd, so they never keep Node from exiting. If a worker cannot start, products
 * run on the calling thread as before. GENAI_WASM_GEMM_THREADS=0 turns helpers off.
 */
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import * as tf from "@tensorflow/tfjs-core";
import { ARGS, CHUNKS, FINISHED, GemmArgs, JOB, NEXT, READY, ROWS, SLOTS, tagOf, work } from "./gemmControl";
import { BackendWasmInternals, isWasmBackend } from "./wasmInternals";
import { SimdKernels, heapMemory, isShared, simdModule } from "./wasmSimd";

/** Multiply-adds per block: ~10 µs of work. */
const BLOCK_MACS = 1 << 18;
/** How long a helper spins for the next job before sleeping, ms. */
const SPIN_MS = Number(process.env.GENAI_WASM_GEMM_SPIN_MS ?? 0.05);

/** One control block per heap: every helper takes blocks from it. */
interface Pool {
  ctl: Int32Array;
  job: number;
}

const pools = new WeakMap<WebAssembly.Memory, Pool | null>();

type Counted = { tfjs: { getThreadsCount?: () => number } };

/** The pool for `backend`'s heap, its helpers started on first use; null where there are none. */
function pool(backend: BackendWasmInternals): Pool | null {
  const memory = heapMemory(backend);
  if (!memory) return null;
  let p = pools.get(memory);
  if (p === undefined) {
    const threads = (backend.wasm as unknown as Counted).tfjs.getThreadsCount?.() ?? 1;
    p = isShared(memory) && threads > 1 && process.env.GENAI_WASM_GEMM_THREADS !== "0" ? start(memory, threads - 1) : null;
    pools.set(memory, p);
  }
  return p;
}

function start(memory: WebAssembly.Memory, helpers: number): Pool | null {
  try {
    const control = new SharedArrayBuffer(4 * SLOTS);
    const gemmModule = simdModule("gemm", memory);
    for (let h = 0; h < helpers; h++) {
      const worker = new Worker(join(__dirname, "gemmWorker.js"), { workerData: { memory, gemmModule, control, spinMs: SPIN_MS } });
      worker.unref(); // never keeps Node from exiting
      worker.on("error", () => undefined); // a helper that fails never takes a block
    }
    return { ctl: new Int32Array(control), job: 0 };
  } catch {
    return null;
  }
}

/**
 * How many helper threads share the course's products on the current wasm backend (0: none, or
 * not loaded yet); starts them if they have not been started.
 */
export function gemmHelpersReady(): number {
  const backend = tf.backend();
  if (!isWasmBackend(backend)) return 0;
  const p = pool(backend as BackendWasmInternals);
  return p ? Atomics.load(p.ctl, READY) : 0;
}

/** gemm(...args), its rows shared between the calling thread and the helpers. */
export function gemmThreaded(backend: BackendWasmInternals, simd: SimdKernels, args: GemmArgs): void {
  const [, , , m, n, k] = args;
  // Blocks of a multiple of 4 rows; at most 0xffff of them, the width of NEXT's block field.
  const wanted = Math.max(1, Math.min(0xffff, Math.floor((m * n * k) / BLOCK_MACS)));
  const rows = 4 * Math.ceil(m / 4 / wanted);
  const chunks = Math.ceil(m / rows);
  const p = chunks >= 2 ? pool(backend) : null;
  if (!p || Atomics.load(p.ctl, READY) === 0) {
    simd.gemm(...args);
    return;
  }
  const { ctl } = p;
  p.job = (p.job + 1) % 0x8000;
  const tag = tagOf(p.job);
  ctl.set(args, ARGS);
  Atomics.store(ctl, CHUNKS, chunks);
  Atomics.store(ctl, ROWS, rows);
  Atomics.store(ctl, FINISHED, tag << 16);
  Atomics.store(ctl, NEXT, tag << 16); // opens the job
  Atomics.store(ctl, JOB, p.job);
  Atomics.notify(ctl, JOB);
  work(ctl, simd.gemm, tag);
  // Every block is taken; wait for those still running on a helper.
  const all = (tag << 16) + chunks;
  for (let spin = 0; spin < 100_000 && Atomics.load(ctl, FINISHED) !== all; spin++);
  for (let done = Atomics.load(ctl, FINISHED); done !== all; done = Atomics.load(ctl, FINISHED)) {
    Atomics.wait(ctl, FINISHED, done, 1000);
  }
}
