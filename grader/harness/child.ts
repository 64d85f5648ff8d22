/**
 * The probe process (spawned by probe.ts inside the sandbox, one side's probe calls one at a
 * time; host.ts). For each job it disposes what an earlier call left registered, runs the probe
 * on a freshly evaluated lesson module after a seeded setup, and sends plain results back, saying
 * whether the call left anything running (then the process is not used again). Learner code runs
 * only here, so a crash, a hang, a leak or an exhausted heap cannot touch the test process. Its
 * lesson module and probes arrive compiled: nothing here reads TypeScript from disk.
 */
import Module from "node:module";
import { dirname } from "node:path";
import type { LessonModule } from "@course/lib";
import type { Blame, ChildMessage, Compiled, Phase, ProbeJob } from "./protocol.ts";
import { ProcessExitError, takeFatal, wrapModule } from "./module-proxy.ts";
import { liveTensors, serialise } from "./serialise.ts";
import { describeLoadError, describeThrow } from "./child-messages.ts";
import { prepareProcess, setupTf } from "./child-setup.ts";
import { countLeaks } from "./leaks.ts";

type Probe = (m: LessonModule, input: unknown) => unknown;

/** A phase failed; `blame` says whether the learner or the grader is at fault. */
class PhaseFailure extends Error {
  constructor(readonly blame: Blame, message: string) {
    super(message);
  }
}

let job: ProbeJob;
let lastSymbol = "";
/** Between calls (idle) or running one; an error escaping while idle ends the process. */
let busy = false;
/** Something went wrong outside a call's own work: the process is not used again. */
let tainted = false;
let realExit: (code?: number) => never;
/** The kinds of handle alive when the call's learner code started (the IPC channel, the output pipes). */
let baseline: Map<string, number> | null = null;

function post(message: ChildMessage): void {
  if (process.connected) process.send?.(message);
}

function onCall(symbol: string): void {
  if (symbol === lastSymbol) return;
  lastSymbol = symbol;
  post({ type: "calling", symbol });
}

function errorText(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

/** `TypeError: msg`: the error's name, then its message (the name is left out for a plain Error). */
function crashText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  return err.name && err.name !== "Error" ? `${err.name}: ${err.message}` : err.message;
}

/** Evaluate compiled CommonJS as the module at `compiled.file` (stacks then name that file). */
function evaluate(compiled: Compiled): LessonModule {
  const ModuleCtor = Module as unknown as {
    new (id: string): NodeModule & { _compile(code: string, file: string): void; paths: string[] };
    _nodeModulePaths(dir: string): string[];
  };
  const mod = new ModuleCtor(compiled.file);
  mod.filename = compiled.file;
  mod.paths = ModuleCtor._nodeModulePaths(dirname(compiled.file));
  mod._compile(compiled.code, compiled.file);
  return mod.exports as LessonModule;
}

/** The probe function. Any problem here is the grader's. */
function loadProbe(): Probe {
  let probes: unknown;
  try {
    probes = evaluate(job.probes).probes;
  } catch (err) {
    throw new PhaseFailure("grader", `the probes file ${job.probes.file} failed to load: ${errorText(err)}`);
  }
  const fn = (probes as Record<string, unknown> | undefined)?.[job.probeName];
  if (typeof fn !== "function") {
    const names = probes && typeof probes === "object" ? Object.keys(probes).join(", ") : "none";
    throw new PhaseFailure("grader", `${job.probes.file} has no probe named "${job.probeName}" (its \`probes\` export has: ${names || "none"}).`);
  }
  return fn as Probe;
}

function loadSide(): LessonModule {
  try {
    return evaluate(job.module);
  } catch (err) {
    takeFatal();
    throw new PhaseFailure(job.blame, describeLoadError(err, job.side));
  }
}

async function callProbe(probe: Probe, m: LessonModule): Promise<unknown> {
  let value: unknown;
  try {
    value = await probe(m, structuredClone(job.input));
  } catch (err) {
    throw new PhaseFailure(job.blame, describeThrow(takeFatal() ?? err, job.probeName, job.side));
  }
  const fatal = takeFatal();
  if (fatal) throw new PhaseFailure(job.blame, describeThrow(fatal, job.probeName, job.side));
  return value;
}

/** What a call ends with, before the process says whether it can take another. */
type Ending = Extract<ChildMessage, { type: "done" | "failed" }>;
type Outcome = Ending extends infer M ? (M extends Ending ? Omit<M, "reusable"> : never) : never;

async function main(): Promise<Outcome> {
  const phase: Phase = job.blame === "learner" ? "target" : "reference";
  post({ type: "phase", phase, rss: process.memoryUsage.rss() });
  let tf;
  try {
    tf = await setupTf(job.seed, job.backend);
    baseline = resourceCounts();
  } catch (err) {
    throw new PhaseFailure("grader", `TensorFlow.js setup failed: ${errorText(err)}`);
  }
  const probe = loadProbe();
  takeFatal();
  const leaks = countLeaks(tf);
  const m = wrapModule(loadSide(), job.side.display, onCall, leaks.around, job.module.refused);
  const before = tf.memory().numTensors;
  const value = await callProbe(probe, m);
  const returned = liveTensors(value).size;
  // Left alive by the probe as a whole, or inside the learner's calls (which a probe's own
  // tf.tidy would otherwise clean up before anyone counted them).
  const leakedTensors = Math.max(tf.memory().numTensors - before - returned, leaks.total());
  let plain: unknown;
  try {
    plain = serialise(value);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new PhaseFailure(job.blame, `probe "${job.probeName}" got a result from ${job.side.display} that cannot be compared: ${why}`);
  }
  return { type: "done", value: plain, leakedTensors };
}

function resourceCounts(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo()) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return counts;
}

/** Let what the call queued for right after it (immediates, microtasks) run before judging it. */
function settle(): Promise<void> {
  return new Promise((done) => setImmediate(done));
}

/** The call left no handle behind (a timer, a socket, a file being read) and nothing escaped it. */
function reusable(): boolean {
  if (tainted || baseline === null) return false;
  for (const [kind, n] of resourceCounts()) if (n > (baseline.get(kind) ?? 0)) return false;
  return true;
}

/** Once per process, before its first call. */
function prepare(nodeModules: string): void {
  realExit = prepareProcess(nodeModules);
  // The test process is gone: nothing is listening any more.
  process.on("disconnect", () => realExit(0));
  process.on("error", () => realExit(1));
  // An error escaping a call is reported (the test process then ends this process); one escaping
  // between calls ends it here.
  process.on("uncaughtException", (err) => {
    tainted = true;
    if (!busy) realExit(1);
    post({ type: "crashed", text: crashText(err), exitCode: err instanceof ProcessExitError ? err.code : undefined });
  });
}

/** Called by child-entry.cjs with each job. */
export function run(received: ProbeJob): void {
  if (!realExit) prepare(received.nodeModules);
  job = received;
  busy = true;
  lastSymbol = "";
  baseline = null;
  process.exitCode = undefined;
  takeFatal();
  // While the call runs, only its own work keeps this process alive: if it waits on a promise
  // that never settles, the process ends and the test process reports that.
  process.channel?.unref();
  main().catch((err: unknown): Outcome => {
    const failure = err instanceof PhaseFailure ? err : new PhaseFailure("grader", `internal error: ${errorText(err)}`);
    const phase: Phase = job.blame === "learner" ? "target" : "reference";
    return { type: "failed", phase, blame: failure.blame, message: failure.message };
  }).then(async (outcome) => {
    await settle();
    post({ ...outcome, reusable: reusable() } as Ending);
    busy = false;
    process.channel?.ref();
  });
}
