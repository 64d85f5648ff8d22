/**
 * Preparing the probe process before any lesson code runs, and the seeded TensorFlow.js setup
 * before each phase.
 */
import Module from "node:module";
import { delimiter } from "node:path";
import * as lib from "@course/lib";
import { noteFatal, ProcessExitError } from "./module-proxy.ts";
import type { ProbeBackend } from "./protocol.ts";

export type TfCore = typeof lib.tf;

/** Learner code may not signal other processes (the grader, its test process, other probes). */
function blockSignals(): void {
  const refuse = (): never => {
    throw new Error("the grader does not allow sending signals to processes (process.kill).");
  };
  const proc = process as unknown as Record<string, unknown>;
  const ownKill = process.kill.bind(process);
  proc.kill = (pid: number, signal?: string | number) => (pid === process.pid ? ownKill(pid, signal) : refuse());
  // process.kill calls process._kill: replace it too, keeping signals to this process itself.
  const rawKill = proc._kill as ((pid: number, signal: number) => number) | undefined;
  if (rawKill) proc._kill = (pid: number, signal: number) => (pid === process.pid ? rawKill.call(process, pid, signal) : refuse());
}

/**
 * Source-mapped stacks (errors point at the learner's .ts lines), process.exit turned into an
 * error (it would end the probe process without a word), signals to other processes refused, and
 * the course's node_modules on the
 * search path so a target folder outside the repository still finds `@course/lib` and
 * TensorFlow.js. Returns the real `process.exit`, for the probe process's own use.
 */
export function prepareProcess(nodeModules: string): (code?: number) => never {
  const realExit = process.exit.bind(process) as (code?: number) => never;
  process.setSourceMapsEnabled(true);
  blockSignals();
  process.exit = ((code?: number | string | null) => {
    const err = new ProcessExitError(Number(code ?? 0));
    noteFatal(err);
    throw err;
  }) as typeof process.exit;
  const paths = (process.env.NODE_PATH ?? "").split(delimiter).filter(Boolean);
  if (!paths.includes(nodeModules)) {
    process.env.NODE_PATH = [...paths, nodeModules].join(delimiter);
    (Module as unknown as { _initPaths(): void })._initPaths();
  }
  return realExit;
}

/**
 * Seed everything and select the probe's backend (cpu, the oracle, unless the probe asks for
 * wasm, the engine's trainable backend, for a training run); returns the TensorFlow.js the lessons
 * use. Variables an earlier call of this process created are disposed first, so their names are
 * free again and the call starts as it would in a new process.
 */
export async function setupTf(seed: number, backend: ProbeBackend): Promise<TfCore> {
  lib.tf.disposeVariables();
  await lib.setup({ seed, backend, quiet: true });
  return lib.tf;
}
