/**
 * The processes `npm run bench` starts, one after the other: one per TensorFlow.js backend
 * configuration (bench/worker.ts; kernel registrations are global to a process) and two for
 * PyTorch (bench/pytorch/bench.py at its defaults, then with glibc malloc's tunables).
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Args } from "./args";
import type { WorkerResult } from "./worker";

const root = fileURLToPath(new URL("..", import.meta.url));

export interface PytorchRun {
  unavailable?: string;
  torch?: string;
  python?: string;
  threads_default?: number;
  threads?: number;
  /** The BLAS library(ies) the process loaded, e.g. "openblas-pthread/libopenblasp-r0.3.21.so". */
  blas?: string | null;
  models?: Record<string, { ms?: number; error?: string; cpu_share?: number; cpu_ms?: number; parameters?: number }>;
}

/** How busy the machine was around one run. */
export interface RunLoad {
  /** 1-minute load average before and after the run. */
  load: [number, number];
  /** Per model: the process's CPU time / wall time over its timed steps. */
  cpu_share: Record<string, number | null>;
  /**
   * Per model: median process CPU ms per step. For a one-thread run it is what the step costs
   * with the machine to itself, give or take cache effects; it sums threads in others.
   */
  cpu_ms: Record<string, number | null>;
}

export const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;

function flags(a: Args, out: string): string[] {
  return [
    "--models", a.models.join(","), "--repeats", String(a.repeats), "--min-time", String(a.minTime),
    "--warmup", String(a.warmup), "--guard-steps", String(a.guardSteps), "--out", out,
  ];
}

/** Runs a child with stdout/stderr passed through, then reads the JSON it wrote to `out`. */
function runChild<T>(command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string, out: string):
  { result: T } | { failed: string } {
  const child = spawnSync(command, args, { cwd, env, stdio: ["ignore", "inherit", "inherit"] });
  try {
    return { result: JSON.parse(readFileSync(out, "utf8")) as T };
  } catch {
    return { failed: child.error?.message ?? `exit status ${child.status ?? child.signal}` };
  }
}

/**
 * glibc malloc keeps large buffers instead of returning them to the system (mmap/munmap and the
 * page faults that follow, every step): PyTorch's step time swings 2–4× between runs without it.
 */
export const MALLOC_TUNABLES = "glibc.malloc.mmap_threshold=1073741824:glibc.malloc.trim_threshold=1073741824";

/** One TensorFlow.js backend configuration in its own process. */
export function runTfjs(config: string, a: Args, dir: string, round = 0): WorkerResult {
  const out = join(dir, `${config}-${round}.json`);
  const env = { ...process.env };
  delete env.GENAI_BACKEND;
  if (config === "wasm-stock") env.GENAI_WASM_SPEEDUPS = "0";
  else delete env.GENAI_WASM_SPEEDUPS;
  // wasm runs with setup()'s default threads, wasm-1thread with one (wasm-stock never has more)
  if (config === "wasm-1thread") env.GENAI_WASM_THREADS = "1";
  else delete env.GENAI_WASM_THREADS;
  const tsx = join(root, "node_modules", "tsx", "dist", "cli.mjs");
  const worker = join(root, "bench", "worker.ts");
  const args = [tsx, worker, "--config", config, ...flags(a, out)];
  const r = runChild<WorkerResult>(process.execPath, args, env, root, out);
  if ("result" in r) return r.result;
  return { config, models: {}, unavailable: `its benchmark process failed (${r.failed})` };
}

/** The PyTorch twins at PyTorch's defaults, or (`tuned`) with glibc malloc's tunables set. */
export function runPytorch(a: Args, dir: string, tuned: boolean, round = 0): PytorchRun {
  const out = join(dir, `pytorch-${tuned ? "tuned" : "defaults"}-${round}.json`);
  const script = join(root, "bench", "pytorch", "bench.py");
  const env = { ...process.env };
  if (tuned) env.GLIBC_TUNABLES = MALLOC_TUNABLES;
  else delete env.GLIBC_TUNABLES;
  const args = [script, ...flags(a, out)];
  const r = runChild<PytorchRun>(a.python, args, env, dirname(script), out);
  if ("result" in r) return r.result;
  return { unavailable: `${a.python} bench/pytorch/bench.py failed (${r.failed})` };
}

/** Runs `f`, noting the 1-minute load average before and after. */
export function withLoad<T>(f: () => T): { value: T; load: [number, number] } {
  const before = round(loadavg()[0]!);
  const value = f();
  return { value, load: [before, round(loadavg()[0]!)] };
}

/** Debian's netlib reference BLAS (~3 GFLOP/s) rather than OpenBLAS or BLIS. */
export function isReferenceBlas(blas: string | null | undefined): boolean {
  return blas != null && /(^|, )blas\/libblas\.so/.test(blas);
}

/** setup()'s "… is unavailable here: REASON." → "REASON". */
export function reason(message: string): string {
  const m = /unavailable here: (.*?)\.?$/.exec(message);
  return m ? m[1]! : message;
}
