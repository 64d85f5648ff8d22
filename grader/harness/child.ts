/**
 * The probe process (one per probe call, forked by probe.ts through child-entry.cjs). It receives
 * one job, runs the probe on the reference first, then on the target, each after the same seeded
 * setup, and sends plain results back. Learner code runs only here, so a crash, a hang, a leak or
 * an exhausted heap cannot touch the test process.
 */
import { existsSync } from "node:fs";
import { loadModule, type LessonModule } from "@course/lib";
import type { Blame, ChildMessage, ParentMessage, Phase, ProbeJob, Side } from "./protocol.ts";
import { ProcessExitError, takeFatal, wrapModule } from "./module-proxy.ts";
import { liveTensors, serialise } from "./serialise.ts";
import { describeLoadError, describeMissingFile, describeThrow } from "./child-messages.ts";
import { prepareProcess, setupTf, type TfCore } from "./child-setup.ts";

type Probe = (m: LessonModule, input: unknown) => unknown;

/** A phase failed; `blame` says whether the learner or the grader is at fault. */
class PhaseFailure extends Error {
  constructor(readonly blame: Blame, message: string) {
    super(message);
  }
}

let job: ProbeJob;
let phase: Phase = "reference";
let lastSymbol = "";
let tfCore: TfCore | null = null;

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

async function setup(): Promise<TfCore> {
  try {
    return await setupTf(job.seed);
  } catch (err) {
    throw new PhaseFailure("grader", `TensorFlow.js setup failed: ${errorText(err)}`);
  }
}

/** The probe function, loaded afresh for each phase. Any problem here is the grader's. */
function loadProbe(): Probe {
  let probes: unknown;
  try {
    probes = loadModule(job.probesFile).probes;
  } catch (err) {
    throw new PhaseFailure("grader", `the probes file ${job.probesFile} failed to load: ${errorText(err)}`);
  }
  const fn = (probes as Record<string, unknown> | undefined)?.[job.probeName];
  if (typeof fn !== "function") {
    const names = probes && typeof probes === "object" ? Object.keys(probes).join(", ") : "none";
    throw new PhaseFailure(
      "grader",
      `${job.probesFile} has no probe named "${job.probeName}" (its \`probes\` export has: ${names || "none"}).`,
    );
  }
  return fn as Probe;
}

function loadSide(side: Side, blame: Blame): LessonModule {
  if (!existsSync(side.file)) throw new PhaseFailure(blame, describeMissingFile(side));
  try {
    return loadModule(side.file);
  } catch (err) {
    takeFatal();
    throw new PhaseFailure(blame, describeLoadError(err, side));
  }
}

async function callProbe(probe: Probe, m: LessonModule, side: Side, blame: Blame): Promise<unknown> {
  let value: unknown;
  try {
    value = await probe(m, structuredClone(job.input));
  } catch (err) {
    throw new PhaseFailure(blame, describeThrow(takeFatal() ?? err, job.probeName, side));
  }
  const fatal = takeFatal();
  if (fatal) throw new PhaseFailure(blame, describeThrow(fatal, job.probeName, side));
  return value;
}

interface Outcome {
  value: unknown;
  leakedTensors: number;
}

async function runPhase(which: Phase, side: Side): Promise<Outcome> {
  phase = which;
  lastSymbol = "";
  post({ type: "phase", phase: which, rss: process.memoryUsage.rss() });
  const blame: Blame = which === "target" ? "learner" : "grader";
  const tf = await setup();
  tfCore = tf;
  const probe = loadProbe();
  takeFatal();
  const m = wrapModule(loadSide(side, blame), side.display, onCall);
  const before = tf.memory().numTensors;
  const value = await callProbe(probe, m, side, blame);
  const leakedTensors = tf.memory().numTensors - before - liveTensors(value).size;
  try {
    return { value: serialise(value), leakedTensors };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new PhaseFailure(blame, `probe "${job.probeName}" got a result from ${side.display} that cannot be compared: ${why}`);
  }
}

async function main(): Promise<void> {
  let expected: Outcome | null = null;
  if (job.reference) {
    expected = await runPhase("reference", job.reference);
    // Named variables would clash with the target's; the reference is done with its own.
    tfCore?.disposeVariables();
  }
  const actual = await runPhase("target", job.target);
  post({ type: "done", expected: expected?.value, actual: actual.value, leakedTensors: actual.leakedTensors });
}

function run(message: ParentMessage): void {
  job = message.job;
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
    post({ type: "failed", phase, blame: failure.blame, message: failure.message });
  });
}

process.once("message", (message: ParentMessage) => run(message));
