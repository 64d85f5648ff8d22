/**
 * `setup()`: the first call of every notebook. It seeds the course's random generator and picks
 * the fastest compute backend this machine has:
 *
 *   tensorflow  native libtensorflow (@tensorflow/tfjs-node-gpu or -node), if it installed
 *   webgpu      a hardware GPU through dawn.node (software adapters are slower than wasm), chosen
 *               only for code that declares `asyncReads: true`: WebGPU in Node cannot read a tensor
 *               synchronously, and notebooks do (print(), dataSync(), arraySync())
 *   wasm        XNNPACK in WebAssembly, with the gradient kernels it lacks added
 *   cpu         pure JavaScript: slow, the reference for tests
 *
 * `setup({ backend })` or the GENAI_BACKEND environment variable forces one (the argument wins).
 * The backends live in the course's engine (@course/engine); setup() also offers the engine's
 * fused functions to the seam (seam.ts). This file and seam.ts are the only ones in the library
 * that know the engine exists.
 */
import {
  BACKEND_NAMES, type BackendName, FAST_PATHS, activateBackend, quietCpuBackend,
} from "@course/engine";
import { CourseError } from "./errors";
import { seedAll } from "./random";
import { provide, usePlainMaths } from "./seam";
import { type Streams, seeds } from "./seeds";
import { tf } from "./tf";
import { ensureGradients } from "./tf-gradients";

quietCpuBackend(); // also when code switches with tf.setBackend("cpu") rather than setup()

/** The one TensorFlow.js the course uses (tf.ts); also importable from here. */
export { tf };
export type { TfChainedOps } from "./tf";
export type { BackendName };

export interface SetupOptions {
  /** Seed of the named random streams setup() returns (and of `rng()`); default 42. */
  seed?: number;
  /** Use this backend or fail; overrides GENAI_BACKEND. */
  backend?: BackendName;
  /** Print nothing. */
  quiet?: boolean;
  /**
   * false: the models run the plain functions their notebooks derive, never the engine's fused
   * versions of them (seam.ts). Default true; GENAI_WASM_FUSED=0 does the same per call.
   */
  fast?: boolean;
  /**
   * The code reads tensors only with `await` (`data()`, `array()`), never `dataSync()`,
   * `arraySync()` or `print()`: setup() may then choose webgpu. Default false, so a notebook
   * never lands on a backend where its synchronous reads fail.
   */
  asyncReads?: boolean;
}

export interface SetupInfo {
  backend: BackendName;
  /** What it runs on, e.g. "XNNPACK, SIMD, 1 thread". */
  device: string;
  seed: number;
  /** The seed's named random streams (`streams.init`, `.batches`, `.noise`, `.sample`, `.eval`). */
  streams: Streams;
}

const CHOICES = BACKEND_NAMES.join(", ");

interface Request {
  name: BackendName;
  /** How it was asked for, for messages: `GENAI_BACKEND=wasm`. */
  source: string;
}

function isBackendName(name: string): name is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(name);
}

/** The forced backend, if any, validated. */
function requested(options: SetupOptions): Request | null {
  const fromOption = options.backend as string | undefined;
  const fromEnv = process.env.GENAI_BACKEND?.trim().toLowerCase();
  const [raw, source] =
    fromOption !== undefined
      ? [fromOption, `setup({ backend: ${JSON.stringify(fromOption)} })`]
      : [fromEnv, `GENAI_BACKEND=${fromEnv ?? ""}`];
  if (raw === undefined || raw === "") return null;
  if (!isBackendName(raw)) {
    throw new CourseError(
      `${source} names no backend. Choose one of: ${CHOICES} — ` +
        "or leave it unset and setup() picks the fastest this machine has.",
    );
  }
  return { name: raw, source };
}

type Chosen = Pick<SetupInfo, "backend" | "device">;

async function useForced({ name, source }: Request): Promise<Chosen> {
  const result = await activateBackend(name);
  if (!result.ok) {
    const others = BACKEND_NAMES.filter((b) => b !== name).join(", ");
    throw new CourseError(
      `${source} asks for the ${name} backend, but it is unavailable here: ${result.why}.\n` +
        `  Choose another of: ${others} — or leave it unset and setup() picks the fastest ` +
        "this machine has.",
    );
  }
  return { backend: name, device: result.device };
}

/** The first backend, fastest first, that works here (webgpu only for async readers). cpu always does. */
async function useBest(asyncReads: boolean): Promise<Chosen> {
  const skipped: string[] = [];
  for (const name of BACKEND_NAMES) {
    if (name === "webgpu" && !asyncReads) continue;
    const result = await activateBackend(name);
    if (result.ok) return { backend: name, device: result.device };
    skipped.push(`${name}: ${result.why}`);
  }
  const reasons = skipped.join("\n  ");
  throw new CourseError(`No TensorFlow.js backend works on this machine:\n  ${reasons}`);
}

/** Offer the engine's fused versions to the seam, or (fast: false) take them back. */
function useEngine(fast: boolean): void {
  if (!fast) {
    usePlainMaths();
    return;
  }
  provide("gptBlock", FAST_PATHS.gptBlock);
  provide("layerNorm", FAST_PATHS.layerNorm);
  provide("lstmUnroll", FAST_PATHS.lstmUnroll);
  provide("groupNorm", FAST_PATHS.groupNorm);
  provide("groupNormSilu", FAST_PATHS.groupNormSilu);
  provide("batchNorm", FAST_PATHS.batchNorm);
  provide("adamApply", FAST_PATHS.adamApply);
}

/**
 * Seed the course's random generator, choose the compute backend and let the seam use the
 * engine's fused functions where they apply; prints one line such as
 * `backend: wasm (XNNPACK, SIMD, 1 thread) · seed 42`. Returns the seed's named random streams
 * (`const { streams } = await setup({ seed: 42 })`), which every model, trainer and sampler
 * takes. Calling it again re-seeds and, if
 * needed, switches backend; nothing is registered twice.
 */
export async function setup(options: SetupOptions = {}): Promise<SetupInfo> {
  const seed = options.seed ?? 42;
  seedAll(seed);
  ensureGradients();
  useEngine(options.fast ?? true);
  const request = requested(options);
  const { backend, device } = request ? await useForced(request) : await useBest(options.asyncReads ?? false);
  if (!options.quiet) console.log(`backend: ${backend} (${device}) · seed ${seed}`);
  return { backend, device, seed, streams: seeds(seed) };
}
