/**
 * The native TensorFlow backend from @tensorflow/tfjs-node-gpu or @tensorflow/tfjs-node. Both
 * are optional: their install downloads libtensorflow, which fails on many machines (and on
 * this course's CI). They are looked up at run time only, so nothing here needs their types.
 */
import * as tf from "@tensorflow/tfjs-core";
import { Activation, firstLine } from "./types";

const PACKAGES = ["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"] as const;

type Loaded = { ok: true; pkg: string } | { ok: false; why: string };
let loaded: Loaded | null = null;

function isNotInstalled(error: unknown, pkg: string): boolean {
  const e = error as { code?: string; message?: string };
  return e.code === "MODULE_NOT_FOUND" && (e.message ?? "").includes(`'${pkg}'`);
}

function loadTfjsNode(): Loaded {
  // libtensorflow logs its start-up at INFO level to stderr; keep warnings and errors.
  process.env.TF_CPP_MIN_LOG_LEVEL ??= "2";
  const broken: string[] = [];
  for (const pkg of PACKAGES) {
    try {
      require(pkg);
      return { ok: true, pkg };
    } catch (error) {
      if (!isNotInstalled(error, pkg)) broken.push(`${pkg}: ${firstLine(error)}`);
    }
  }
  const why = broken.length
    ? `it is installed but does not load (${broken.join("; ")})`
    : `neither ${PACKAGES.join(" nor ")} is installed (their install downloads libtensorflow, ` +
      "which failed or was skipped)";
  return { ok: false, why };
}

export async function activateTensorflow(): Promise<Activation> {
  loaded ??= loadTfjsNode();
  if (!loaded.ok) return loaded;
  if (!tf.findBackendFactory("tensorflow")) {
    return {
      ok: false,
      why: `${loaded.pkg} loaded but registered with a different copy of @tensorflow/tfjs-core; ` +
        "install the same version (4.22.0) of both",
    };
  }
  if (!(await tf.setBackend("tensorflow"))) {
    const why = `${loaded.pkg} failed to initialise libtensorflow (see the warning above)`;
    return { ok: false, why };
  }
  // tfjs-node-gpu quietly runs on the CPU when CUDA/cuDNN do not match its build.
  const gpu = (tf.backend() as { isUsingGpuDevice?: boolean }).isUsingGpuDevice === true;
  const device = `libtensorflow on ${gpu ? "the CUDA GPU" : "the CPU"}, ${loaded.pkg}`;
  return { ok: true, device };
}
