/**
 * `probe()`: run one probe function on the reference solution and on the graded target, in a fresh
 * worker thread with a memory limit and a wall-clock limit, and return both results as plain data.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { createRequire } from "node:module";
import { isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { repoRoot } from "@course/lib";
import { GraderBug, ProbeFailure, seconds } from "./failures.ts";
import type { Phase, WorkerJob, WorkerMessage } from "./protocol.ts";
import { lessonSides } from "./settings.ts";

export interface ProbeOptions {
  /** Wall-clock limit for each side (reference, target) in ms; default 30 000. */
  timeoutMs?: number;
  /**
   * Memory limit in MB; default 1024. It bounds the worker's JS heap, and the process's memory
   * growth while the probe runs (tensor data lives outside the heap) at twice this value.
   */
  memoryMb?: number;
  /** Seed given to `setup()` before each side; default 1234. */
  seed?: number;
}

export interface ProbeResult<T = unknown> {
  expected: T;
  actual: T;
  /** Target run: tensors alive after the probe − before it, returned tensors excluded. */
  leakedTensors: number;
}

const DEFAULTS = { timeoutMs: 30_000, memoryMb: 1024, seed: 1234 };
const OUTPUT_LIMIT = 4000;

const MEMORY_POLL_MS = 200;

/** The probe workers still running, by the test that started them. */
const running = new Map<Worker, object | undefined>();

/** Which test a probe belongs to (set by `graded`), so only its own workers are stopped. */
export const probeOwner = new AsyncLocalStorage<object>();

/** Stop the probe workers of `owner` still running (its test timed out while waiting). */
export function stopProbes(owner: object): void {
  for (const [worker, by] of running) {
    if (by !== owner) continue;
    running.delete(worker);
    void worker.terminate();
  }
}

function probesPath(file: string | URL): string {
  if (file instanceof URL) return fileURLToPath(file);
  if (file.startsWith("file:")) return fileURLToPath(file);
  return isAbsolute(file) ? file : resolve(repoRoot(), file);
}

function makeJob(lessonId: string, probesFile: string | URL, name: string, input: unknown, seed: number, withReference: boolean): WorkerJob {
  const { reference, target } = lessonSides(lessonId);
  return {
    probesFile: probesPath(probesFile),
    probeName: name,
    input,
    seed,
    reference: withReference ? reference : null,
    target,
    nodeModules: join(repoRoot(), "node_modules"),
  };
}

/** Code that starts the worker: the library's loader transpiles and runs worker.ts. */
function bootstrap(): string {
  const libEntry = createRequire(import.meta.url).resolve("@course/lib");
  const workerFile = fileURLToPath(new URL("./worker.ts", import.meta.url));
  return `require(${JSON.stringify(libEntry)}).loadModule(${JSON.stringify(workerFile)});`;
}

/** Forward what learner code prints, up to a limit, to stderr. */
function forwardOutput(worker: Worker): void {
  let left = OUTPUT_LIMIT;
  const forward = (chunk: Buffer): void => {
    if (left <= 0) return;
    const text = chunk.toString("utf8").slice(0, left);
    left -= text.length;
    process.stderr.write(left > 0 ? text : `${text}\n[probe output truncated]\n`);
  };
  worker.stdout.on("data", forward);
  worker.stderr.on("data", forward);
}

type Done = Extract<WorkerMessage, { type: "done" }>;

/** Where a run stands, for messages about a worker that was stopped from outside. */
interface RunState {
  phase: Phase;
  symbol: string;
}

class ProbeRun {
  private readonly state: RunState = { phase: "reference", symbol: "" };
  private timer: NodeJS.Timeout | undefined;
  private memoryWatch: NodeJS.Timeout | undefined;
  private settled = false;
  private worker!: Worker;

  constructor(
    private readonly job: WorkerJob,
    private readonly options: Required<ProbeOptions>,
    private readonly resolve: (done: Done) => void,
    private readonly reject: (err: Error) => void,
  ) {}

  start(): void {
    this.state.phase = this.job.reference ? "reference" : "target";
    try {
      this.worker = new Worker(bootstrap(), {
        eval: true,
        workerData: this.job,
        resourceLimits: { maxOldGenerationSizeMb: this.options.memoryMb },
        stdout: true,
        stderr: true,
      });
    } catch (err) {
      this.reject(new GraderBug(`could not start the probe worker (is the probe input plain data?): ${String(err)}`));
      return;
    }
    running.set(this.worker, probeOwner.getStore());
    forwardOutput(this.worker);
    this.arm();
    this.watchMemory();
    this.worker.on("message", (m: WorkerMessage) => this.onMessage(m));
    this.worker.on("error", (err: Error & { code?: string }) => this.onError(err));
    this.worker.on("exit", (code) => this.onExit(code));
  }

  private arm(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.onTimeout(), this.options.timeoutMs);
  }

  /** Tensor data is not on the worker's heap: stop the worker when the process grows too much. */
  private watchMemory(): void {
    const baseline = process.memoryUsage.rss();
    const limit = 2 * this.options.memoryMb * 1024 * 1024;
    this.memoryWatch = setInterval(() => {
      if (process.memoryUsage.rss() - baseline > limit) this.outOfMemory();
    }, MEMORY_POLL_MS);
  }

  private outOfMemory(): void {
    this.fail(this.blamed(`${this.who()} ran out of memory (the limit is ${this.options.memoryMb} MB) — an ever-growing array or huge or undisposed tensors?`));
  }

  private onMessage(m: WorkerMessage): void {
    if (m.type === "phase") {
      this.state.phase = m.phase;
      this.state.symbol = "";
      this.arm();
    } else if (m.type === "calling") {
      this.state.symbol = m.symbol;
    } else if (m.type === "failed") {
      this.fail(m.blame === "learner" ? new ProbeFailure(m.message) : this.graderBug(m.message));
    } else {
      this.finish(() => this.resolve(m));
    }
  }

  private who(): string {
    const side = this.state.phase === "target" ? this.job.target : this.job.reference;
    const where = `probe "${this.job.probeName}" on ${side?.display ?? "?"}`;
    return this.state.symbol ? `${this.state.symbol} (${where})` : where;
  }

  private onTimeout(): void {
    this.fail(this.blamed(`${this.who()} did not finish within ${seconds(this.options.timeoutMs)} — an infinite loop?`));
  }

  private onError(err: Error & { code?: string }): void {
    if (err.code === "ERR_WORKER_OUT_OF_MEMORY") {
      this.outOfMemory();
    } else {
      const text = err.name && err.name !== "Error" ? `${err.name}: ${err.message}` : err.message;
      this.fail(this.blamed(`${this.who()} crashed with an error thrown outside the call (a timer or callback?): ${text}`));
    }
  }

  private onExit(code: number): void {
    this.fail(this.blamed(`${this.who()} never returned: the worker stopped (exit code ${code}) while waiting — a promise that never settles?`));
  }

  private blamed(message: string): Error {
    return this.state.phase === "target" ? new ProbeFailure(message) : this.graderBug(message);
  }

  private graderBug(message: string): Error {
    const side = this.state.phase === "reference" ? `the reference ${this.job.reference?.display}` : "the grader";
    return new GraderBug(`${side} failed in probe "${this.job.probeName}": ${message}`);
  }

  private fail(err: Error): void {
    this.finish(() => this.reject(err));
  }

  private finish(report: () => void): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    clearInterval(this.memoryWatch);
    running.delete(this.worker);
    void this.worker.terminate();
    report();
  }
}

function run(lessonId: string, probesFile: string | URL, name: string, input: unknown, options: ProbeOptions, withReference: boolean): Promise<Done> {
  const opts = { ...DEFAULTS, ...options };
  const job = makeJob(lessonId, probesFile, name, input, opts.seed, withReference);
  return new Promise<Done>((resolveRun, rejectRun) => new ProbeRun(job, opts, resolveRun, rejectRun).start());
}

/**
 * Run probe `name` of `probesFile` on lesson `lessonId`: on the reference, then on the target,
 * each after `setup({ seed })`. Learner failures reject with a ProbeFailure, reference and grader
 * failures with a GraderBug.
 */
export async function probe<T = unknown>(lessonId: string, probesFile: string | URL, name: string, input?: unknown, options: ProbeOptions = {}): Promise<ProbeResult<T>> {
  const done = await run(lessonId, probesFile, name, input, options, true);
  return { expected: done.expected as T, actual: done.actual as T, leakedTensors: done.leakedTensors };
}

/** Like `probe`, on the target only: for property checks that need no reference. */
export async function probeTargetOnly<T = unknown>(lessonId: string, probesFile: string | URL, name: string, input?: unknown, options: ProbeOptions = {}): Promise<{ actual: T; leakedTensors: number }> {
  const done = await run(lessonId, probesFile, name, input, options, false);
  return { actual: done.actual as T, leakedTensors: done.leakedTensors };
}
