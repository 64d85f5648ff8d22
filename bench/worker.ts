/**
 * One backend configuration of `npm run bench`, in its own process (kernel registrations are
 * global to a process). Usage:
 *   tsx bench/worker.ts --config wasm --models convnet,gpt --repeats 10 --min-time 1 \
 *     --warmup 2 --guard-steps 5 --out result.json
 * `--config` is a backend name for setup(), or `wasm-1thread` (wasm; the parent sets
 * GENAI_WASM_THREADS=1) or `wasm-stock` (the wasm backend as setup() makes it trainable, with the
 * speed work off: the parent sets GENAI_WASM_SPEEDUPS=0).
 *
 * For each model: build it from a seeded Rng; the correctness guard (each guard's loss is finite
 * and falls over `guard-steps` optimiser steps on the fixed batch); `warmup` more steps; then at
 * least `repeats` timed steps, more while under `min-time` seconds (at most 5× repeats). A timed
 * step is the step plus `await loss.data()`, so the backend has finished the work. The model
 * must leak no tensors. Progress goes to stderr; the result is written as JSON to `--out`.
 */
import { writeFileSync } from "node:fs";
import { Rng, setup, tf, type BackendName } from "@course/lib";
import { BUILDERS, type BenchModel, type Guard } from "./lessons";

export interface ModelResult {
  /** Median ms per training step; absent when the model failed. */
  ms?: number;
  /** Trained values (the sum of the variables' sizes). */
  parameters?: number;
  times_ms?: number[];
  /** The guard's losses, per guard, one per step. */
  guard?: Record<string, number[]>;
  /** Process CPU time / wall time over the timed steps (≈1 for one busy thread, alone). */
  cpu_share?: number;
  /** Median process CPU ms per timed step: on one thread, what the step costs without contention. */
  cpu_ms?: number;
  error?: string;
}

export interface WorkerResult {
  config: string;
  backend?: string;
  device?: string;
  /** Why the backend cannot run here; no models ran. */
  unavailable?: string;
  models: Record<string, ModelResult>;
}

interface Options {
  config: string;
  models: string[];
  repeats: number;
  minTime: number;
  warmup: number;
  guardSteps: number;
  out: string;
  seed: number;
}

function parse(argv: string[]): Options {
  const get = (flag: string, fallback?: string): string => {
    const i = argv.indexOf(flag);
    const value = i >= 0 ? argv[i + 1] : fallback;
    if (value === undefined) throw new Error(`worker: ${flag} is required`);
    return value;
  };
  return {
    config: get("--config"),
    models: get("--models").split(",").filter(Boolean),
    repeats: Number(get("--repeats", "10")),
    minTime: Number(get("--min-time", "1")),
    warmup: Number(get("--warmup", "2")),
    guardSteps: Number(get("--guard-steps", "5")),
    out: get("--out"),
    seed: Number(get("--seed", "1234")),
  };
}

function log(text: string): void {
  process.stderr.write(`${text}\n`);
}

const fmt = (x: number): string => (Number.isFinite(x) ? x.toPrecision(4) : String(x));

/** Run `step`, wait for its result, return the values; the tensor is disposed. */
async function run(step: () => tf.Tensor): Promise<Float32Array | Int32Array | Uint8Array> {
  const out = step();
  try {
    return await out.data();
  } finally {
    out.dispose();
  }
}

/** The guard's losses; throws when one is not finite or the last is not below the first. */
async function guard(g: Guard, steps: number): Promise<number[]> {
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) losses.push((await run(g.step))[0] as number);
  const shown = losses.map(fmt).join(" → ");
  if (!losses.every(Number.isFinite)) throw new Error(`guard ${g.name}: loss not finite: ${shown}`);
  if (!((losses.at(-1) as number) < (losses[0] as number))) {
    throw new Error(`guard ${g.name}: loss did not fall over ${steps} steps: ${shown}`);
  }
  return losses;
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function timeModel(model: BenchModel, o: Options): Promise<ModelResult> {
  const guards = model.guards ?? [{ name: "loss", step: model.step }];
  const guardLosses: Record<string, number[]> = {};
  for (const g of guards) guardLosses[g.name] = await guard(g, Math.max(2, o.guardSteps));
  for (let i = 0; i < o.warmup; i++) await run(model.step);
  const before = tf.memory().numTensors;
  const times: number[] = [];
  const cpuTimes: number[] = [];
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  while (
    times.length < o.repeats ||
    (performance.now() - start < o.minTime * 1000 && times.length < 5 * o.repeats)
  ) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const values = await run(model.step);
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpuTimes.push((c.user + c.system) / 1000);
    if (!Array.from(values).every(Number.isFinite)) {
      throw new Error(`loss not finite during timing: ${Array.from(values).join(", ")}`);
    }
  }
  const cpu = process.cpuUsage(cpu0);
  const cpuShare = (cpu.user + cpu.system) / 1000 / (performance.now() - start);
  const leaked = tf.memory().numTensors - before;
  if (leaked !== 0) throw new Error(`${leaked} tensors leaked over ${times.length} steps`);
  const r2 = (x: number): number => Math.round(x * 100) / 100;
  return {
    ms: median(times),
    times_ms: times.map(r2),
    guard: guardLosses,
    cpu_share: r2(cpuShare),
    cpu_ms: r2(median(cpuTimes)),
  };
}

/** Builds, guards and times one model; disposes it; any failure becomes `error`. */
async function benchModel(name: string, o: Options): Promise<ModelResult> {
  const build = BUILDERS[name];
  if (!build) return { error: `no model named ${name}` };
  const tensorsBefore = tf.memory().numTensors;
  let model: BenchModel | null = null;
  let r: ModelResult;
  try {
    model = build(new Rng(o.seed));
    r = { ...(await timeModel(model, o)), parameters: model.variables.reduce((n, v) => n + v.size, 0) };
    const guards = Object.entries(r.guard ?? {})
      .map(([g, l]) => `${g} ${fmt(l[0]!)} → ${fmt(l.at(-1)!)}`)
      .join(", ");
    const steps = `${r.parameters} parameters, ${r.times_ms!.length} steps, CPU ${r.cpu_ms} ms, share ${r.cpu_share}`;
    log(`  ${name}: ${r.ms!.toFixed(1)} ms/step (${steps}; guard ${guards})`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`  ${name}: FAILED: ${message}`);
    return { error: message.split("\n")[0] };
  } finally {
    model?.dispose();
  }
  const left = tf.memory().numTensors - tensorsBefore;
  return left === 0 ? r : { error: `${left} tensors left after dispose()` };
}

async function main(): Promise<void> {
  const o = parse(process.argv.slice(2));
  const result: WorkerResult = { config: o.config, models: {} };
  const backend = (o.config.startsWith("wasm-") ? "wasm" : o.config) as BackendName;
  try {
    const info = await setup({ seed: o.seed, backend, quiet: true });
    result.backend = info.backend;
    result.device = info.device;
  } catch (error) {
    result.unavailable = (error instanceof Error ? error.message : String(error)).split("\n")[0];
    writeFileSync(o.out, JSON.stringify(result));
    log(`${o.config}: unavailable (${result.unavailable})`);
    return;
  }
  log(`${o.config}: ${result.backend} (${result.device})`);
  for (const name of o.models) result.models[name] = await benchModel(name, o);
  writeFileSync(o.out, JSON.stringify(result));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
