/**
 * `probe()`: run one probe function on the reference solution and on the graded target, each in a
 * sandboxed probe process of its side (host.ts: started for the side, used again after a clean
 * call) with a memory limit and a wall-clock limit, and return both results as plain data.
 */
import { readFileSync } from "node:fs";
import { constants } from "node:os";
import { delimiter, dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { serialize } from "node:v8";
import { repoRoot } from "@course/lib";
import { CompileError, compileHarness, compileProbes, compileSide } from "./compile.ts";
import { expectedValue, probeKey } from "./expected.ts";
import { GraderBug, ProbeFailure, seconds } from "./failures.ts";
import { hostFor, ProbeHost, probeOwner, stopProbes, type CallListener } from "./host.ts";
import type { ChildMessage, Phase, ProbeBackend, ProbeJob, Side } from "./protocol.ts";
import { residentBytes } from "./resident.ts";
import { launch, type SandboxPlan } from "./sandbox.ts";
import { lessonSides } from "./settings.ts";

export interface ProbeOptions {
  /** Wall-clock limit for each side (reference, target) in ms, once its process has started; default 30 000. */
  timeoutMs?: number;
  /**
   * Memory limit in MB; default 1024. It bounds the probe process's JS heap, and its resident
   * memory's growth while the probe runs (tensor data lives outside the heap) at twice this value.
   */
  memoryMb?: number;
  /** Seed given to `setup()` before each side; default 1234. */
  seed?: number;
  /**
   * The backend of both sides: `cpu` (default, the oracle) or `wasm` (single-threaded and
   * deterministic, made trainable by the course's engine): 3–8× faster for a seeded training run.
   */
  backend?: ProbeBackend;
}

export interface ProbeResult<T = unknown> {
  expected: T;
  actual: T;
  /** Target run: tensors alive after the probe − before it, returned tensors excluded. */
  leakedTensors: number;
}

const DEFAULTS: Required<ProbeOptions> = { timeoutMs: 30_000, memoryMb: 1024, seed: 1234, backend: "cpu" };
/** How long a probe process may take to start (Node, the sandbox, TensorFlow.js) before its own limit applies. */
const STARTUP_MS = 60_000;
const MEMORY_POLL_MS = 200;

const ENTRY = fileURLToPath(new URL("./child-entry.cjs", import.meta.url));

/** What V8 prints when the heap limit is reached (Node 20 to 24), before it aborts the process. */
const V8_OUT_OF_MEMORY = /FATAL ERROR:[^\n]*out of memory|Fatal (?:JavaScript|process) out of memory/i;

export { probeOwner, stopProbes };

function probesPath(file: string | URL): string {
  if (file instanceof URL) return fileURLToPath(file);
  if (file.startsWith("file:")) return fileURLToPath(file);
  return isAbsolute(file) ? file : resolve(repoRoot(), file);
}

/** Variables vitest sets for its own test processes; under vitest they are not the probe's. */
const VITEST_VARIABLES = ["TEST", "NODE_ENV", "MODE", "DEV", "PROD", "SSR", "BASE_URL", "FORCE_TTY"];
/** The grader's own settings: where the references, tests and reports are is none of the probe's business. */
const GRADER_VARIABLES = /^(GRADE_|GENAI_TARGET$)/;

/**
 * The probe process's environment: the test process's, without NODE_OPTIONS (the harness picks
 * the probe process's flags itself), without the grader's settings and, under vitest, without the
 * variables vitest adds. TMPDIR is the probe's own folder; wasm runs on one thread.
 */
function childEnv(tmp: string): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  for (const key of Object.keys(env)) if (GRADER_VARIABLES.test(key)) delete env[key];
  if (process.env.VITEST) {
    for (const key of Object.keys(env)) if (key.startsWith("VITEST")) delete env[key];
    for (const key of VITEST_VARIABLES) if (key !== "NODE_ENV" || env.NODE_ENV === "test") delete env[key];
  }
  env.TMPDIR = tmp;
  env.GENAI_ROOT = repoRoot();
  // One wasm thread: training runs on wasm give the same bits every time, and the sandbox
  // refuses the helper threads more would start.
  env.GENAI_WASM_THREADS = "1";
  return env;
}

/** What a probe process may read: packages, the library and its engine, datasets, the graded folder. */
function readable(side: Side): string[] {
  const root = repoRoot();
  const hidden = (process.env.GRADE_SANDBOX_READ ?? "").split(delimiter).filter(Boolean);
  return [
    join(root, "package.json"), join(root, "node_modules"), join(root, "lib"), join(root, "datasets"),
    join(root, "engine"), join(root, "node_modules", "@course", "lib"), join(root, "node_modules", "@course", "engine"),
    dirname(side.file), ...hidden,
  ];
}

/** Folders outside the repository that a probe process must not see. */
function hiddenFolders(): string[] {
  const env = process.env;
  const named = [env.GRADE_HIDDEN_DIR, env.GRADE_SOLUTIONS_DIR, env.GRADE_TESTS_DIR, env.GRADE_EXPECTED_DIR, env.GRADE_REPORT_DIR];
  const extra = (env.GRADE_SANDBOX_HIDE ?? "").split(delimiter);
  return [...named, ...extra].filter((d): d is string => Boolean(d));
}

type Done = Extract<ChildMessage, { type: "done" }>;

/** Where a run stands, for messages about a probe process that was stopped from outside. */
interface RunState {
  phase: Phase;
  symbol: string;
  /** The probe process's resident memory when the call started; null before that. */
  baseline: number | null;
}

/** One probe call on one side, in a probe process of that side (a new one, or one used before). */
class ProbeRun implements CallListener {
  private readonly state: RunState = { phase: "reference", symbol: "", baseline: null };
  private host!: ProbeHost;
  private timer: NodeJS.Timeout | undefined;
  private memoryWatch: NodeJS.Timeout | undefined;
  private settled = false;

  constructor(
    private readonly job: ProbeJob,
    private readonly options: Required<ProbeOptions>,
    private readonly harness: string,
    private readonly resolve: (done: Done) => void,
    private readonly reject: (err: Error) => void,
  ) {}

  start(fresh = false): void {
    this.state.phase = this.job.blame === "learner" ? "target" : "reference";
    try {
      serialize(this.job.input);
    } catch (err) {
      this.reject(new GraderBug(`could not start the probe process (is the probe input plain data?): ${String(err)}`));
      return;
    }
    const plan: SandboxPlan = {
      entry: ENTRY, memoryMb: this.options.memoryMb, readable: readable(this.job.side), root: repoRoot(), hide: hiddenFolders(),
    };
    const cwd = dirname(this.job.side.file);
    const key = JSON.stringify([plan, cwd, process.env.GRADE_SANDBOX ?? ""]);
    try {
      this.host = hostFor(key, () => {
        const launched = launch(plan);
        return new ProbeHost(key, launched, childEnv(launched.tmp), cwd, this.harness);
      }, fresh);
      this.host.start(this.job, this);
    } catch (err) {
      this.reject(new GraderBug(`could not start the probe process: ${String(err)}`));
      return;
    }
    // Starting the process is not the graded code's time: it gets its own, longer limit.
    this.arm(Math.max(this.options.timeoutMs, STARTUP_MS));
    this.watchMemory();
  }

  private arm(ms = this.options.timeoutMs): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.onTimeout(), ms);
  }

  /** Tensor data is not on the JS heap: stop the probe process when its resident memory grows too much. */
  private watchMemory(): void {
    const limit = 2 * this.options.memoryMb * 1024 * 1024;
    const outer = this.host.child.pid;
    if (outer === undefined) return;
    let reading = false;
    this.memoryWatch = setInterval(() => {
      if (reading || this.state.baseline === null) return;
      reading = true;
      const pid = this.host.launched.wrapped ? innermost(outer) : outer;
      void residentBytes(pid).then((rss) => {
        reading = false;
        const baseline = this.state.baseline;
        if (rss !== null && baseline !== null && rss - baseline > limit) this.outOfMemory();
      });
    }, MEMORY_POLL_MS);
  }

  private outOfMemory(): void {
    this.fail(this.blamed(`${this.who()} ran out of memory (the limit is ${this.options.memoryMb} MB) — an ever-growing array or huge or undisposed tensors?`));
  }

  onMessage(m: ChildMessage): void {
    if (m.type === "phase") {
      this.state.phase = m.phase;
      this.state.symbol = "";
      this.state.baseline ??= m.rss;
      this.arm();
    } else if (m.type === "calling") {
      this.state.symbol = m.symbol;
    } else if (m.type === "crashed") {
      this.fail(this.blamed(m.exitCode === undefined
        ? `${this.who()} crashed with an error thrown outside the call (a timer or callback?): ${m.text}`
        : this.calledExit(m.exitCode)));
    } else if (m.type === "failed") {
      this.finish(() => this.reject(m.blame === "learner" ? new ProbeFailure(m.message) : this.graderBug(m.message)), m.reusable);
    } else {
      this.finish(() => this.resolve(m), m.reusable);
    }
  }

  private where(): string {
    return `probe "${this.job.probeName}" on ${this.job.side.display}`;
  }

  private who(): string {
    return this.state.symbol ? `${this.state.symbol} (${this.where()})` : this.where();
  }

  /** The message for process.exit in learner code, as the probe process words it for a direct call. */
  private calledExit(code: number): string {
    return `${this.state.symbol || this.where()} called process.exit(${code}); remove it — return a value or throw an error instead.`;
  }

  private onTimeout(): void {
    if (this.state.baseline === null) {
      this.fail(new GraderBug(`the process for probe "${this.job.probeName}" did not start within ${seconds(Math.max(this.options.timeoutMs, STARTUP_MS))} (is the machine overloaded?)`));
      return;
    }
    this.fail(this.blamed(`${this.who()} did not finish within ${seconds(this.options.timeoutMs)} — an infinite loop?`));
  }

  /** The process could not be started (a message it could not take ends in `exit` as well). */
  onError(err: Error): void {
    if (this.host.child.pid === undefined) this.fail(new GraderBug(`could not start the probe process: ${err.message}`));
  }

  /** The probe process ended before it sent its results. */
  onExit(exitCode: number | null, exitSignal: NodeJS.Signals | null): void {
    if (this.settled) return;
    const { code, signal } = this.host.launched.wrapped ? unwrapped(exitCode, exitSignal) : { code: exitCode, signal: exitSignal };
    const how = signal ? `signal ${signal}` : `exit code ${code}`;
    const heapExhausted = V8_OUT_OF_MEMORY.test(this.host.stderrTail);
    if (this.host.stopped) {
      this.fail(this.blamed(`${this.who()} was stopped: its test ended first.`));
    } else if (this.state.baseline === null && this.host.calls > 1) {
      // A process used before ended before this call began: the call runs again in a new one.
      this.stopTimers();
      this.start(true);
    } else if (this.state.baseline === null) {
      const why = heapExhausted ? `out of memory: is memoryMb ${this.options.memoryMb} too small?` : how;
      const output = heapExhausted || !this.host.stderrTail.trim() ? "" : `\n${this.host.stderrTail.trim()}`;
      this.fail(new GraderBug(`the process for probe "${this.job.probeName}" stopped before the probe started (${why})${output}`));
    } else if (heapExhausted) {
      this.outOfMemory();
    } else if (signal === "SIGKILL") {
      this.fail(this.blamed(`${this.who()} was killed by the system (SIGKILL), which usually means the machine ran short of memory.`));
    } else if (signal) {
      this.fail(this.blamed(`${this.who()} crashed the probe process (${how}).`));
    } else if (code !== 0) {
      this.fail(this.blamed(this.calledExit(code ?? 1)));
    } else {
      this.fail(this.blamed(`${this.who()} never returned: the probe process ended (exit code 0) while waiting — a promise that never settles?`));
    }
  }

  private blamed(message: string): Error {
    return this.state.phase === "target" ? new ProbeFailure(message) : this.graderBug(message);
  }

  private graderBug(message: string): Error {
    const side = this.state.phase === "reference" ? `the reference ${this.job.side.display}` : "the grader";
    return new GraderBug(`${side} failed in probe "${this.job.probeName}": ${message}`);
  }

  private fail(err: Error): void {
    this.finish(() => this.reject(err), false);
  }

  private stopTimers(): void {
    clearTimeout(this.timer);
    clearInterval(this.memoryWatch);
  }

  /** Report, and keep the process for the next call only when this one ended cleanly. */
  private finish(report: () => void, reusable: boolean): void {
    if (this.settled) return;
    this.settled = true;
    this.stopTimers();
    this.host.release(reusable);
    report();
  }
}

/** bubblewrap reports a signal that ended its command as exit code 128 + n. */
function unwrapped(code: number | null, signal: NodeJS.Signals | null): { code: number | null; signal: NodeJS.Signals | null } {
  if (signal || code === null || code <= 128) return { code, signal };
  const name = Object.entries(constants.signals).find(([, n]) => n === code - 128)?.[0] as NodeJS.Signals | undefined;
  return name ? { code: null, signal: name } : { code, signal };
}

/** The deepest first descendant of `pid` (bwrap → its init → node), from /proc. */
function innermost(pid: number): number {
  let current = pid;
  for (let i = 0; i < 4; i++) {
    let children: string;
    try {
      children = readFileSync(`/proc/${current}/task/${current}/children`, "utf8").trim();
    } catch {
      return current;
    }
    const first = Number(children.split(/\s+/)[0]);
    if (!children || !Number.isFinite(first)) return current;
    current = first;
  }
  return current;
}

/** Run one probe on one side in a sandboxed probe process of that side; resolves with its result. */
async function runSide(job: Omit<ProbeJob, "module" | "probes" | "nodeModules">, probesFile: string, options: Required<ProbeOptions>): Promise<Done> {
  const [harness, probes] = await Promise.all([compileHarness(), compileProbes(probesFile)]).catch((err: unknown) => {
    throw new GraderBug(`the probes file ${probesFile} or the harness does not compile: ${err instanceof Error ? err.message : String(err)}`);
  });
  let module;
  try {
    module = await compileSide(job.side.file, job.side.display);
  } catch (err) {
    if (!(err instanceof CompileError)) throw err;
    if (job.blame === "learner") throw new ProbeFailure(err.message);
    throw new GraderBug(`the reference ${job.side.display} does not compile: ${err.message}`);
  }
  const full: ProbeJob = { ...job, probes, module, nodeModules: join(repoRoot(), "node_modules") };
  return new Promise<Done>((resolveRun, rejectRun) => new ProbeRun(full, options, harness, resolveRun, rejectRun).start());
}

/** The side's file must exist; the message says how to get it back. */
function present(side: Side, blame: "learner" | "grader"): void {
  try {
    readFileSync(side.file);
  } catch {
    const fix = side.isExercises
      ? "Recreate the exercise stubs with: npm run exercises"
      : "Check the target folder: it needs a file with this exact name.";
    const message = `${side.display} is missing. ${fix}`;
    throw blame === "learner" ? new ProbeFailure(message) : new GraderBug(message);
  }
}

async function target(lessonId: string, probesFile: string, name: string, input: unknown, opts: Required<ProbeOptions>): Promise<Done> {
  const side = lessonSides(lessonId).target;
  present(side, "learner");
  return runSide({ probeName: name, input, seed: opts.seed, backend: opts.backend, side, blame: "learner" }, probesFile, opts);
}

/** The reference's output: recorded, or computed once in a probe process of its own and kept. */
async function expected(lessonId: string, probesFile: string, name: string, input: unknown, opts: Required<ProbeOptions>): Promise<unknown> {
  const side = lessonSides(lessonId).reference;
  const key = probeKey(lessonId, probesFile, name, input, opts);
  return expectedValue({ reference: side.file, probesFile, key, what: `probe "${name}" of lesson ${lessonId}` }, async () => {
    present(side, "grader");
    const done = await runSide({ probeName: name, input, seed: opts.seed, backend: opts.backend, side, blame: "grader" }, probesFile, opts);
    return done.value;
  });
}

/**
 * Run probe `name` of `probesFile` on lesson `lessonId`: the reference's output (recorded, or
 * computed once), then the target's, each after `setup({ seed, backend })` in a probe process of
 * its side (never one that runs the other side's code).
 * Learner failures reject with a ProbeFailure, reference and grader failures with a GraderBug.
 */
export async function probe<T = unknown>(lessonId: string, probesFile: string | URL, name: string, input?: unknown, options: ProbeOptions = {}): Promise<ProbeResult<T>> {
  const opts = { ...DEFAULTS, ...options };
  const file = probesPath(probesFile);
  const sides = lessonSides(lessonId);
  if (sides.target.file === sides.reference.file) {
    // Grading the references themselves: one run gives both the expected output (kept) and the actual one.
    const done = await target(lessonId, file, name, input, opts);
    const key = probeKey(lessonId, file, name, input, opts);
    const kept = await expectedValue({ reference: sides.reference.file, probesFile: file, key, what: `probe "${name}" of lesson ${lessonId}` }, async () => done.value);
    return { expected: kept as T, actual: done.value as T, leakedTensors: done.leakedTensors };
  }
  const want = await expected(lessonId, file, name, input, opts);
  const done = await target(lessonId, file, name, input, opts);
  return { expected: want as T, actual: done.value as T, leakedTensors: done.leakedTensors };
}

/** Like `probe`, on the target only: for property checks that need no reference. */
export async function probeTargetOnly<T = unknown>(lessonId: string, probesFile: string | URL, name: string, input?: unknown, options: ProbeOptions = {}): Promise<{ actual: T; leakedTensors: number }> {
  const done = await target(lessonId, probesPath(probesFile), name, input, { ...DEFAULTS, ...options });
  return { actual: done.value as T, leakedTensors: done.leakedTensors };
}
