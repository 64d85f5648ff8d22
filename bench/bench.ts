/**
 * `npm run bench -- [--json FILE] [--backend NAME[,NAME]] [--models a,b] [--repeats N]
 *                   [--min-time S] [--smoke] [--no-pytorch] [--python PATH]`
 *
 * Times one training step (forward, backward, Adam update, loss read back) of each course model
 * shape (bench/models/catalog.ts) on TensorFlow.js backends and, when `PYTHON -c 'import torch'`
 * works, in PyTorch at its defaults and at one thread, in one invocation. Prints a table and,
 * with --json, writes
 *   { "machine": {…}, "models": { NAME: { "tfjs_ms": { BACKEND: ms }, "pytorch_ms": ms,
 *     "pytorch_1thread_ms": ms, "speedup_vs_pytorch": pytorch_ms / best_tfjs_ms } },
 *     "geomean_speedup_vs_pytorch": x }
 * (plus "errors": [...] when something failed; the exit status is then 1).
 *
 * Backends: tensorflow, webgpu, wasm, wasm-1thread, wasm-stock, cpu. By default every one but
 * cpu that works here (one that does not is noted in machine.backends and skipped); cpu only
 * when named. `wasm` is what setup() gives by default (its default threads: GENAI_WASM_THREADS
 * is cleared); `wasm-1thread` the same on one thread; `wasm-stock` the wasm backend
 * with only the kernels training needs and none of the speed work (GENAI_WASM_SPEEDUPS=0): the
 * baseline. Each runs in its own process, in turn.
 *
 * Protocol, per model and backend: build from a fixed seed; correctness guard (the loss on the
 * fixed batch is finite and falls over 5 Adam steps, so a broken kernel is not timed as fast);
 * 2 warm-up steps; then at least N timed steps (default 10), more until 1 s has passed (at most
 * 5N); the median. docs/PERFORMANCE.md explains the numbers.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, release, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Args, parseArgs, USAGE } from "./args";
import { geomean, rows, table } from "./report";
import {
  isReferenceBlas, type PytorchRun, reason, round, type RunLoad, runPytorch, runTfjs, withLoad,
} from "./runners";
import type { WorkerResult } from "./worker";

const root = fileURLToPath(new URL("..", import.meta.url));

function packageVersion(name: string): string | null {
  try {
    const file = join(root, "node_modules", ...name.split("/"), "package.json");
    return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
  } catch {
    return null;
  }
}

const load = (): number[] => loadavg().map((x) => round(x));

type Timed = Record<string, { cpu_share?: number; cpu_ms?: number }> | undefined;

/** The run's load and, per model, its CPU share and CPU ms. */
function runLoad(a: Args, load: [number, number], m: Timed): RunLoad {
  const per = (k: "cpu_share" | "cpu_ms") => Object.fromEntries(a.models.map((n) => [n, m?.[n]?.[k] ?? null]));
  return { load, cpu_share: per("cpu_share"), cpu_ms: per("cpu_ms") };
}

interface Runs {
  tfjs: WorkerResult[];
  pt: PytorchRun;
  pt1: PytorchRun;
  backends: Record<string, string>;
  runs: Record<string, RunLoad>;
  errors: string[];
}

/** Every backend configuration, then PyTorch twice, one process at a time. */
function runAll(a: Args, dir: string): Runs {
  const r: Runs = { tfjs: [], pt: {}, pt1: {}, backends: {}, runs: {}, errors: [] };
  for (const config of a.configs) {
    const { value, load } = withLoad(() => runTfjs(config, a, dir));
    if (value.unavailable) {
      r.backends[config] = `unavailable: ${reason(value.unavailable)}`;
      if (a.configsNamed) r.errors.push(`${config}: unavailable: ${reason(value.unavailable)}`);
      continue;
    }
    r.backends[config] = `${value.backend} (${value.device})`;
    r.runs[config] = runLoad(a, load, value.models);
    r.tfjs.push(value);
  }
  if (!a.pytorch) {
    r.pt = { unavailable: "--no-pytorch" };
  } else {
    const d = withLoad(() => runPytorch(a, dir, 0));
    r.pt = d.value;
    if (!r.pt.unavailable) {
      r.runs.pytorch = runLoad(a, d.load, r.pt.models);
      const one = withLoad(() => runPytorch(a, dir, 1));
      r.pt1 = one.value;
      r.runs.pytorch_1thread = runLoad(a, one.load, r.pt1.models);
      if (r.pt1.unavailable) r.errors.push(`pytorch (1 thread): ${r.pt1.unavailable}`);
    }
  }
  r.backends.pytorch = describePytorch(r.pt);
  return r;
}

function describePytorch(pt: PytorchRun): string {
  if (pt.unavailable) return `unavailable: ${pt.unavailable}`;
  const text = `torch ${pt.torch}, ${pt.threads_default} intra-op thread(s) by default, ` +
    `BLAS ${pt.blas ?? "unknown"}`;
  if (!isReferenceBlas(pt.blas)) return text;
  return `${text} (the netlib reference BLAS: PyTorch's matmuls run ~10× slower than on ` +
    "OpenBLAS; `apt-get install libopenblas0-pthread` switches it)";
}

function printSummary(r: Runs, loadStart: number[]): void {
  console.log("");
  for (const [name, why] of Object.entries(r.backends)) console.log(`${name}: ${why}`);
  const end = load();
  console.log(`load average ${loadStart.join(" ")} at the start, ${end.join(" ")} at the end (${cpus().length} cores)`);
  for (const [name, run] of Object.entries(r.runs)) {
    const cs = Object.values(run.cpu_share).filter((x): x is number => x != null);
    const range = cs.length ? `${Math.min(...cs)}–${Math.max(...cs)}` : "–";
    console.log(`  ${name}: 1-min load ${run.load[0]} → ${run.load[1]}, CPU time / wall time ${range}`);
  }
  const names = Object.keys(r.runs);
  const models = Object.keys(Object.values(r.runs)[0]?.cpu_ms ?? {});
  if (names.length && models.length) {
    console.log("median process CPU ms per step (for one-thread runs: the cost without contention)");
    const w = Math.max(...models.map((m) => m.length));
    console.log(`  ${"".padEnd(w)}  ${names.map((n) => n.padStart(10)).join("  ")}`);
    for (const m of models) {
      const cells = names.map((n) => (r.runs[n]!.cpu_ms[m]?.toFixed(1) ?? "–").padStart(Math.max(10, n.length)));
      console.log(`  ${m.padEnd(w)}  ${cells.join("  ")}`);
    }
  }
  console.log("");
}

async function main(argv: string[]): Promise<number> {
  let a: Args;
  try {
    a = parseArgs(argv);
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const started = new Date();
  const loadStart = load();
  const dir = mkdtempSync(join(tmpdir(), "bench-"));
  let r: Runs;
  try {
    r = runAll(a, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const { rows: models, errors } = rows(a.models, r.tfjs, r.pt, r.pt1);
  errors.unshift(...r.errors);
  const geo = geomean(models);
  const output: Record<string, unknown> = {
    machine: {
      cpu: cpus()[0]?.model ?? "unknown",
      cores: cpus().length,
      memory_gib: round(totalmem() / 2 ** 30, 1),
      os: `${process.platform} ${release()}`,
      node: process.version,
      tfjs: packageVersion("@tensorflow/tfjs-core"),
      tfjs_backend_wasm: packageVersion("@tensorflow/tfjs-backend-wasm"),
      torch: r.pt.torch ?? null,
      torch_threads_default: r.pt.threads_default ?? null,
      torch_blas: r.pt.blas ?? null,
      python: r.pt.python ?? null,
      backends: r.backends,
      load_average: loadStart,
      load_average_end: load(),
      runs: r.runs,
      started: started.toISOString(),
      seconds: round((Date.now() - started.getTime()) / 1000, 1),
      command: `npm run bench -- ${argv.join(" ")}`.trim(),
      protocol: { repeats: a.repeats, min_time_s: a.minTime, warmup: a.warmup, guard_steps: a.guardSteps },
    },
    models,
    geomean_speedup_vs_pytorch: geo,
  };
  if (errors.length) output.errors = errors;
  printSummary(r, loadStart);
  console.log(table(models, r.tfjs.map((w) => w.config), geo));
  if (errors.length) console.log(`\nerrors:\n  ${errors.join("\n  ")}`);
  if (a.json) {
    writeFileSync(a.json, `${JSON.stringify(output, null, 2)}\n`);
    console.log(`\nwrote ${a.json}`);
  }
  return errors.length ? 1 : 0;
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
