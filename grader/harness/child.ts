/**
 * The probe process (one per probe call, spawned by probe.ts inside the sandbox). It receives one
 * job, runs the probe on one side after a seeded setup, and sends plain results back. Learner
 * code runs only here, so a crash, a hang, a leak or an exhausted heap cannot touch the test
 * process. Its lesson module and probes arrive compiled: nothing here reads TypeScript from disk.
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

async function main(): Promise<void> {
  const phase: Phase = job.blame === "learner" ? "target" : "reference";
  post({ type: "phase", phase, rss: process.memoryUsage.rss() });
  let tf;
  try {
    tf = await setupTf(job.seed);
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
  post({ type: "done", value: plain, leakedTensors });
}

/** Called by child-entry.cjs with the job. */
export function run(received: ProbeJob): void {
  job = received;
  const exit = prepareProcess(job.nodeModules);
  // The test process is gone: nothing is listening any more.
  process.on("disconnect", () => exit(0));
  process.on("error", () => exit(1));
  // Escaped errors are reported; the test process then ends this process.
  process.on("uncaughtException", (err) => {
    post({ type: "crashed", text: crashText(err), exitCode: err instanceof ProcessExitError ? err.code : undefined });
  });
  // From here on, only the probe's own work keeps this process alive: if it waits on a promise
  // that never settles, the process ends and the test process reports that.
  process.channel?.unref();
  main().catch((err: unknown) => {
    const failure = err instanceof PhaseFailure ? err : new PhaseFailure("grader", `internal error: ${errorText(err)}`);
    const phase: Phase = job.blame === "learner" ? "target" : "reference";
    post({ type: "failed", phase, blame: failure.blame, message: failure.message });
  });
}
