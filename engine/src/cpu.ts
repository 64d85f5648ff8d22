/** The pure-JavaScript cpu backend: always there, slow, and the reference for the others. */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { Activation } from "./types";

/**
 * The cpu backend, without the banner it prints on first use in Node ("install our node
 * backend"): setup() has already looked for that backend, and the banner would mislead.
 */
export function quietCpuBackend(): tf.KernelBackend | null {
  const cpu = tf.findBackend("cpu") as (tf.KernelBackend & { firstUse?: boolean }) | null;
  if (cpu) cpu.firstUse = false;
  return cpu;
}

export async function activateCpu(): Promise<Activation> {
  if (!(await tf.setBackend("cpu")) || !quietCpuBackend()) {
    return { ok: false, why: "@tensorflow/tfjs-backend-cpu failed to initialise" };
  }
  return { ok: true, device: "pure JavaScript, 1 thread" };
}
