/**
 * Probe processes, and when one is used again. A probe process is started (inside the sandbox)
 * for one side — a folder of lesson files, a heap limit — and runs that side's probe calls one
 * after another. Each call evaluates the lesson module afresh and re-seeds everything, so a
 * call sees what it would see in a new process; the process is used again only when its last call
 * ended cleanly (a result, or an error the call threw) and left nothing running behind it (a
 * timer, a pending callback). A call that hangs, crashes, exhausts memory or ends the process
 * ends that process: the next call gets a new one.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import type { ChildMessage, ParentMessage, ProbeJob } from "./protocol.ts";
import type { Launch } from "./sandbox.ts";

/** What a probe process says about the call it runs goes to the call's listener. */
export interface CallListener {
  onMessage(m: ChildMessage): void;
  /** The process ended (`close`, or `exit` and a grace period for its last output). */
  onExit(code: number | null, signal: NodeJS.Signals | null): void;
  onError(err: Error): void;
}

const OUTPUT_LIMIT = 4000;
/** How long to wait for a probe process's output to drain after it exited. */
const EXIT_GRACE_MS = 1000;
/** Where V8's fatal-error report starts; learner output stops being forwarded there. */
const V8_REPORT = /<--- Last few GCs --->|FATAL ERROR:|Fatal (?:JavaScript|process) out of memory/;

/** Which test a probe belongs to (set by `graded`), so only its own processes are stopped. */
export const probeOwner = new AsyncLocalStorage<object>();

/** A probe process: started once, then given calls one at a time. */
export class ProbeHost {
  readonly child: ChildProcess;
  /** Calls it has been given so far. */
  calls = 0;
  /** The test whose call it runs now; undefined while idle. */
  owner: object | undefined;
  /** The harness stopped it (SIGKILL). */
  stopped = false;
  /** The end of what it wrote to stderr during the current call. */
  stderrTail = "";
  private listener: CallListener | null = null;
  private left = OUTPUT_LIMIT;
  private report = false;
  private exited = false;
  private exitGrace: NodeJS.Timeout | undefined;

  constructor(readonly key: string, readonly launched: Launch, env: NodeJS.ProcessEnv, cwd: string, private readonly harness: string) {
    this.child = spawn(launched.command, launched.args, { env, cwd, stdio: ["ignore", "pipe", "pipe", "ipc"], serialization: "advanced" });
    this.child.stdout?.on("data", (chunk: Buffer) => this.forward(chunk.toString("utf8")));
    this.child.stderr?.on("data", (chunk: Buffer) => this.onStderr(chunk.toString("utf8")));
    this.child.on("message", (m: ChildMessage) => this.listener?.onMessage(m));
    this.child.on("error", (err) => this.listener?.onError(err));
    // Messages and output can still be on their way when the process exits; `close` comes after them.
    this.child.on("exit", (code, signal) => {
      this.exited = true;
      forget(this);
      this.exitGrace = setTimeout(() => this.ended(code, signal), EXIT_GRACE_MS);
    });
    this.child.on("close", (code, signal) => this.ended(code, signal));
  }

  get alive(): boolean {
    return !this.exited && !this.stopped && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Give it one call; what it says goes to `listener` until the call is released. */
  start(job: ProbeJob, listener: CallListener): void {
    this.listener = listener;
    this.owner = probeOwner.getStore();
    this.left = OUTPUT_LIMIT;
    this.report = false;
    this.stderrTail = "";
    hold(this.child, true);
    const message: ParentMessage = this.calls === 0 ? { type: "job", harness: this.harness, job } : { type: "job", job };
    this.calls += 1;
    this.child.send(message);
  }

  /** The call is over: keep the process for the next call of its side, or stop it. */
  release(reusable: boolean): void {
    this.listener = null;
    this.owner = undefined;
    if (reusable && this.alive) idle(this);
    else this.stop();
  }

  /** SIGKILL: a probe stuck in a loop would ignore anything milder. */
  stop(): void {
    this.stopped = true;
    forget(this);
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGKILL");
    rmSync(this.launched.tmp, { recursive: true, force: true });
  }

  private ended(code: number | null, signal: NodeJS.Signals | null): void {
    clearTimeout(this.exitGrace);
    forget(this);
    const listener = this.listener;
    this.listener = null;
    rmSync(this.launched.tmp, { recursive: true, force: true });
    listener?.onExit(code, signal);
  }

  /** Forward what learner code prints, up to a limit per call, to stderr. */
  private forward(text: string): void {
    if (this.left <= 0 || !text || !this.listener) return;
    const part = text.slice(0, this.left);
    this.left -= part.length;
    process.stderr.write(this.left > 0 ? part : `${part}\n[probe output truncated]\n`);
  }

  /** V8's crash report after an exhausted heap is kept for the message, not forwarded. */
  private onStderr(text: string): void {
    this.stderrTail = (this.stderrTail + text).slice(-OUTPUT_LIMIT);
    if (this.report) return;
    const at = text.search(V8_REPORT);
    this.report = at >= 0;
    this.forward(this.report ? text.slice(0, at) : text);
  }
}

/** Whether the process (its handle, IPC channel and output pipes) keeps the test process running. */
function hold(child: ChildProcess, on: boolean): void {
  for (const handle of [child, child.channel, child.stdout, child.stderr] as ({ ref?(): void; unref?(): void } | null | undefined)[]) {
    if (on) handle?.ref?.();
    else handle?.unref?.();
  }
}

/** Every probe process alive, and the idle ones by key. */
const hosts = new Set<ProbeHost>();
const idleHosts = new Map<string, ProbeHost[]>();

function killAll(): void {
  for (const host of [...hosts]) host.stop();
}

/**
 * The test process is being stopped (vitest ends a test file's process with SIGTERM): stop the
 * probe processes first, then let the signal take its course.
 */
function onTerminate(): void {
  killAll();
  if (process.listenerCount("SIGTERM") === 0) process.kill(process.pid, "SIGTERM");
}

function remember(host: ProbeHost): void {
  if (hosts.size === 0) {
    process.on("exit", killAll);
    process.on("SIGTERM", onTerminate);
  }
  hosts.add(host);
}

function forget(host: ProbeHost): void {
  const list = idleHosts.get(host.key);
  if (list?.includes(host)) idleHosts.set(host.key, list.filter((h) => h !== host));
  if (!hosts.delete(host) || hosts.size > 0) return;
  process.off("exit", killAll);
  process.off("SIGTERM", onTerminate);
}

/** An idle process keeps nothing of the test process alive. */
function idle(host: ProbeHost): void {
  hold(host.child, false);
  idleHosts.set(host.key, [...(idleHosts.get(host.key) ?? []), host]);
}

/** An idle process for `key` (unless `fresh`), or a new one from `start`. */
export function hostFor(key: string, start: () => ProbeHost, fresh = false): ProbeHost {
  const list = idleHosts.get(key) ?? [];
  while (!fresh && list.length > 0) {
    const host = list.pop() as ProbeHost;
    if (host.alive) return host;
  }
  const host = start();
  remember(host);
  return host;
}

/** The process ids of the idle probe processes kept for later calls (for the self-test). */
export function idleProcessIds(): number[] {
  return [...idleHosts.values()].flat().flatMap((h) => (h.child.pid === undefined ? [] : [h.child.pid]));
}

/** Stop the probe processes running calls of `owner` (its test ended while it waited). */
export function stopProbes(owner: object): void {
  for (const host of [...hosts]) if (host.owner === owner) host.stop();
}
