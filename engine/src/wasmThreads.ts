/**
 * Threads for the wasm backend under Node.
 *
 * tfjs-backend-wasm 4.22 ships a threaded SIMD build (XNNPACK on a pthreadpool of Web Workers)
 * but never uses it in Node, for three reasons, each worked around here:
 *
 * 1. Its WASM_HAS_MULTITHREAD_SUPPORT flag is false whenever IS_NODE. Forcing the flag is not
 *    enough, because
 * 2. it hands Emscripten the worker script and the main script as blob: URLs, which Node's
 *    worker_threads refuse (ERR_WORKER_PATH) and cannot importScripts. Here the worker script
 *    (shipped as a string in wasm-out/…worker.js) is written once to a real file, and the main
 *    script is given by its path in the package; the factory is called directly and its
 *    module wrapped in the package's own BackendWasm, registered as the 'wasm' backend.
 * 3. Its C++ caps the thread count at emscripten_num_logical_cores() / 2 ("2 threads per
 *    core"), i.e. 1 on a 2-vCPU machine whatever setThreadsCount() asks. That import is
 *    answered with 2 × the wanted count while the module instantiates.
 *
 * Emscripten starts a pool of 8 workers (its PTHREAD_POOL_SIZE); the pthreadpool keeps
 * threads − 1 of them (unref'd, so that they never keep Node from exiting) and the rest are
 * ended. If any step fails or takes over 30 s, the stock single-threaded backend is used.
 *
 * How many: GENAI_WASM_THREADS=N (1: none), else half the logical cores as tfjs picks in a
 * browser (hyper-threads share a core's SIMD units), but at least 2 where there are 2 cores,
 * and at most 8. Each parallel XNNPACK operation waits for its slowest thread, so threads cost
 * small kernels more than they give (a wake-up and a wait per op): wasmThreadGate.ts lends the
 * pool to large convolutions and products only. Starting the workers adds about 0.6 s to
 * setup(); the test configs ask for 1 thread, since their many short processes would pay it.
 */
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { cacheFiles, tryWrite } from "./cache";
import { firstLine } from "./types";
import { WasmModule } from "./wasmInternals";
import { installThreadGate, snapshotStatic } from "./wasmThreadGate";

type WasmPackage = typeof import("@tensorflow/tfjs-backend-wasm");
type Factory = () => tf.KernelBackend | Promise<tf.KernelBackend>;

interface PThreadWorker {
  unref(): void;
}
interface PoolWorker extends PThreadWorker {
  terminate(): void;
}
interface ThreadedModule extends WasmModule {
  HEAPU32: Uint32Array;
  PThread?: {
    runningWorkers: PThreadWorker[];
    unusedWorkers: PoolWorker[];
    terminateAllThreads(): void;
  };
  tfjs: WasmModule["tfjs"] & Record<string, unknown> & { getThreadsCount(): number };
}
type ModuleFactory = (config: Record<string, unknown>) => Promise<ThreadedModule>;

const MAX_THREADS = 8; // the pool Emscripten preallocates for this build
const START_TIMEOUT_MS = 30_000;

/** Threads by default: half the logical cores, at least 2 (if there are 2), at most 8. */
export function defaultWasmThreads(cores = availableParallelism()): number {
  return Math.min(MAX_THREADS, cores, Math.max(2, Math.floor(cores / 2)));
}

/** Threads wanted: GENAI_WASM_THREADS if set, else defaultWasmThreads(), within 1…8. */
export function wasmThreadsRequested(): number {
  const raw = (process.env.GENAI_WASM_THREADS ?? "").trim();
  const asked = raw === "" ? defaultWasmThreads() : Number.parseInt(raw, 10);
  if (!Number.isFinite(asked) || asked < 1) return 1;
  return Math.min(asked, MAX_THREADS);
}

function packageDir(): string {
  return dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json"));
}

/** The worker script as a file: node_modules/.cache/course-lib if writable, else the temp folder. */
function workerFile(dir: string, version: string): string {
  const source = join(dir, "wasm-out", "tfjs-backend-wasm-threaded-simd.worker.js");
  const { wasmWorkerContents } = require(source) as { wasmWorkerContents: string };
  // The string's "\n" escapes became real newlines inside string literals; undo that, as the
  // package itself does before making its blob.
  const text = wasmWorkerContents.replace(/\n/g, "\\n");
  const name = `tfjs-backend-wasm-${version}-threaded-simd.worker.js`;
  for (const file of cacheFiles(join(dir, "..", ".."), name)) {
    try {
      if (readFileSync(file, "utf8") === text) return file; // written by an earlier run
    } catch {
      // absent or unreadable: write it
    }
    if (tryWrite(file, text)) return file;
  }
  throw new Error("no writable folder for the wasm worker script");
}

async function loadThreadedModule(threads: number, version: string): Promise<ThreadedModule> {
  const dir = packageDir();
  const mainScript = join(dir, "wasm-out", "tfjs-backend-wasm-threaded-simd.js");
  const binary = join(dir, "dist", "tfjs-backend-wasm-threaded-simd.wasm");
  const worker = workerFile(dir, version);
  const factory = require(mainScript) as ModuleFactory;
  // Emscripten uses this object as its Module, so its PThread is reachable even on a timeout.
  const config: Record<string, unknown> = {
    locateFile: (path: string, prefix: string) =>
      path.endsWith(".worker.js") ? worker : path.endsWith(".wasm") ? binary : prefix + path,
    mainScriptUrlOrBlob: mainScript,
    instantiateWasm: (
      info: { env: Record<string, unknown> },
      receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void,
    ) => {
      info.env.emscripten_num_logical_cores = () => 2 * threads;
      WebAssembly.instantiate(readFileSync(binary), info as WebAssembly.Imports).then(
        ({ instance, module }) => receive(instance, module),
        (error: unknown) => (config.onAbort as (e: unknown) => void)(error),
      );
      return {};
    },
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    config.onAbort = (why: unknown) => reject(new Error(`aborted: ${firstLine(why)}`));
    timer = setTimeout(() => reject(new Error("its workers did not start within 30 s")),
      START_TIMEOUT_MS);
  });
  try {
    const module = await Promise.race([factory(config), timeout]);
    module.tfjs = {
      init: module.cwrap("init", null, []),
      initWithThreadsCount: module.cwrap("init_with_threads_count", null, ["number"]),
      getThreadsCount: module.cwrap("get_threads_count", "number", []),
      registerTensor: module.cwrap("register_tensor", null, ["number", "number", "number"]),
      disposeData: module.cwrap("dispose_data", null, ["number"]),
      dispose: module.cwrap("dispose", null, []),
    } as ThreadedModule["tfjs"];
    const init = module.tfjs.initWithThreadsCount as (count: number) => void;
    module.tfjs.initWithThreadsCount = (count: number) => {
      const before = snapshotStatic(module);
      init(count);
      if (gateWanted()) installThreadGate(module, before);
    };
    return module;
  } catch (error) {
    (config.PThread as ThreadedModule["PThread"])?.terminateAllThreads();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

let failure: string | null = null;

/** Threads for large kernels only (the default), or for every kernel with GENAI_WASM_THREAD_GATE=0. */
function gateWanted(): boolean {
  return (process.env.GENAI_WASM_THREAD_GATE ?? "").trim() !== "0";
}

/** Why the last threaded start fell back to one thread, or null. */
export function wasmThreadsFailure(): string | null {
  return failure;
}

/**
 * Make the 'wasm' backend start threaded (when it is first used). False, and nothing changed,
 * if it has started already, threads are not wanted, or this Node lacks what they need.
 */
export function installThreadedWasm(wasm: WasmPackage, threads: number): boolean {
  const engine = tf.engine() as unknown as { registry: Record<string, unknown> };
  const stock = tf.findBackendFactory("wasm") as Factory | null;
  if (threads < 2 || !stock || engine.registry.wasm || typeof SharedArrayBuffer === "undefined") {
    return false;
  }
  const threaded: Factory = async () => {
    try {
      const module = await loadThreadedModule(threads, wasm.version_wasm);
      wasm.setThreadsCount(threads);
      const backend = new wasm.BackendWasm(module as never);
      // Workers running a pthread are ref'd by Emscripten: they would keep Node alive. The
      // pool's other workers are never used (the pthreadpool is made once, above): end them.
      const pthreads = module.PThread;
      if (pthreads) {
        for (const worker of pthreads.runningWorkers) worker.unref();
        for (const worker of pthreads.unusedWorkers.splice(0)) worker.terminate();
      }
      failure = null;
      return backend;
    } catch (error) {
      failure = firstLine(error);
      wasm.setThreadsCount(1);
      return await stock();
    }
  };
  tf.removeBackend("wasm");
  tf.registerBackend("wasm", threaded, 2);
  return true;
}
