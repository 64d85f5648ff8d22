/**
 * `npm run bench -- [--json FILE] [--backend NAME[,NAME]] [--models a,b] [--repeats N]
 *                   [--min-time S] [--rounds N] [--smoke] [--no-pytorch] [--python PATH]`
 *
 * Times one training step (forward, backward, Adam update, loss read back) of each lesson's own
 * model at its full-mode preset (bench/catalog.ts; built from the library by bench/lessons.ts)
 * on TensorFlow.js backends and, when `PYTHON -c 'import torch'` works, of its PyTorch twin
 * (bench/pytorch/lessons.py) at PyTorch's defaults and with glibc malloc's tunables. The runs
 * are interleaved: each round runs every backend, then both PyTorch runs (ABAB…); each number is
 * the median over the rounds of each run's median step. The speed-up compares the fastest
 * TensorFlow.js backend with the faster PyTorch. Prints a table and, with --json, writes
 *   { "machine": {…}, "models": { NAME: { "tfjs_ms": { BACKEND: ms }, "pytorch_ms": ms,
 *     "pytorch_tuned_ms": ms, "parameters": {…}, "speedup_vs_pytorch": x } },
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
 * Protocol, per model and run: build from a fixed seed; correctness guard (the loss on the
 * fixed batch is finite and falls over 5 Adam steps, so a broken kernel is not timed as fast);
 * 2 warm-up steps; then at least N timed steps (default 10), more until 1 s has passed (at most
 * 5N); the median. docs/PERFORMANCE.md explains the numbers.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, release, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Args, parseArgs, USAGE } from "./args";
import { geomean, mergePytorch, mergeTfjs, rows, table } from "./report";
import {
  isReferenceBlas, MALLOC_TUNABLES, type PytorchRun, reason, round, type RunLoad, runPytorch, runTfjs, withLoad,
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
  ptTuned: PytorchRun;
  backends: Record<string, string>;
  /** Per run and round ("wasm#1", "pytorch#2", …): the load around it and its CPU use. */
  runs: Record<string, RunLoad>;
  errors: string[];
}

/** One round: every backend configuration still available, then PyTorch twice. */
function runRound(a: Args, dir: string, round: number, r: Runs, perConfig: Map<string, WorkerResult[]>, pts: PytorchRun[][]): void {
  for (const config of a.configs) {
    if (r.backends[config]?.startsWith("unavailable")) continue;
    const { value, load } = withLoad(() => runTfjs(config, a, dir, round));
    if (value.unavailable) {
      r.backends[config] = `unavailable: ${reason(value.unavailable)}`;
      if (a.configsNamed) r.errors.push(`${config}: unavailable: ${reason(value.unavailable)}`);
      continue;
    }
    r.backends[config] = `${value.backend} (${value.device})`;
    r.runs[`${config}#${round + 1}`] = runLoad(a, load, value.models);
    perConfig.set(config, [...(perConfig.get(config) ?? []), value]);
  }
  if (!a.pytorch) return;
  for (const [i, tuned] of [false, true].entries()) {
    if (pts[i]![0]?.unavailable) continue;
    const d = withLoad(() => runPytorch(a, dir, tuned, round));
    pts[i]!.push(d.value);
    if (!d.value.unavailable) r.runs[`pytorch${tuned ? "-tuned" : ""}#${round + 1}`] = runLoad(a, d.load, d.value.models);
  }
}

/** `a.rounds` rounds of every run, interleaved; then the medians over the rounds. */
function runAll(a: Args, dir: string): Runs {
  const r: Runs = { tfjs: [], pt: {}, ptTuned: {}, backends: {}, runs: {}, errors: [] };
  const perConfig = new Map<string, WorkerResult[]>();
  const pts: PytorchRun[][] = [[], []];
  for (let round = 0; round < a.rounds; round++) runRound(a, dir, round, r, perConfig, pts);
  r.tfjs = a.configs.filter((c) => perConfig.has(c)).map((c) => mergeTfjs(perConfig.get(c)!));
  if (!a.pytorch) {
    r.pt = r.ptTuned = { unavailable: "--no-pytorch" };
  } else {
    r.pt = mergePytorch(pts[0]!);
    r.ptTuned = mergePytorch(pts[1]!);
    if (r.ptTuned.unavailable && !r.pt.unavailable) r.errors.push(`pytorch (malloc tunables): ${r.ptTuned.unavailable}`);
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
  const { rows: models, errors } = rows(a.models, r.tfjs, r.pt, r.ptTuned);
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
      pytorch_tuned_env: `GLIBC_TUNABLES=${MALLOC_TUNABLES}`,
      backends: r.backends,
      load_average: loadStart,
      load_average_end: load(),
      runs: r.runs,
      started: started.toISOString(),
      seconds: round((Date.now() - started.getTime()) / 1000, 1),
      command: `npm run bench -- ${argv.join(" ")}`.trim(),
      protocol: { rounds: a.rounds, repeats: a.repeats, min_time_s: a.minTime, warmup: a.warmup, guard_steps: a.guardSteps },
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
