/** The resident memory (RSS) of another process, for the probe process's memory watchdog. */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";

const KB = 1024;

/** Linux: the `VmRSS` line of /proc/<pid>/status (no process to start, so it can be read often). */
async function fromProc(pid: number): Promise<number | null> {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(await readFile(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) * KB : null;
  } catch {
    return null;
  }
}

/** Run a command; its stdout, or null when it fails. */
function output(command: string, args: string[]): Promise<string | null> {
  return new Promise((done) => {
    execFile(command, args, { windowsHide: true, timeout: 5000 }, (err, stdout) => done(err ? null : stdout));
  });
}

/** Elsewhere: `ps -o rss=` (macOS, BSD; kB), or on Windows `tasklist` (its last column, in K). */
async function fromCommand(pid: number): Promise<number | null> {
  const text =
    process.platform === "win32"
      ? await output("tasklist", ["/FI", `PID eq ${pid}`, "/FO", "CSV", "/NH"])
      : await output("ps", ["-o", "rss=", "-p", String(pid)]);
  const field = process.platform === "win32" ? text?.trim().split('","').pop() : text;
  const kb = Number(field?.replace(/\D/g, "") || NaN);
  return Number.isFinite(kb) ? kb * KB : null;
}

const hasProc = existsSync("/proc/self/status");

/** The resident memory of process `pid` in bytes, or null when it cannot be read (or it has ended). */
export function residentBytes(pid: number): Promise<number | null> {
  return hasProc ? fromProc(pid) : fromCommand(pid);
}
