/**
 * How a probe process is started: inside Node's permission model (it may read only what it needs
 * and write only its temporary folder; it may not start processes, threads or native addons) and,
 * on Linux where bubblewrap works, inside an OS-level wall as well (its own PID and network
 * namespaces, a read-only file system on which the course's folders other than the ones it needs
 * are empty). `GRADE_SANDBOX` chooses: `auto` (default: both where available), `node` (the
 * permission model only) or `off` (neither; for debugging the grader itself).
 * docs/GRADING.md says what each layer stops and what it does not.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, realpathSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Launch {
  command: string;
  args: string[];
  /** The probe process's private temporary folder (its TMPDIR), removed after it. */
  tmp: string;
  /** True when bubblewrap wraps the process: the pid spawned is bwrap's, its exit code carries signals. */
  wrapped: boolean;
}

export interface SandboxPlan {
  /** The Node script to run. */
  entry: string;
  /** V8 heap limit. */
  memoryMb: number;
  /** Folders and files the process may read (besides the entry). */
  readable: string[];
  /** The course repository: inside the wall, everything in it but `readable` is hidden. */
  root: string;
  /** Folders outside the repository to hide as well (hidden tests, other submissions, reports). */
  hide: string[];
}

export type SandboxMode = "auto" | "node" | "off";

export function sandboxMode(): SandboxMode {
  const mode = process.env.GRADE_SANDBOX ?? "auto";
  if (mode === "auto" || mode === "node" || mode === "off") return mode;
  throw new Error(`GRADE_SANDBOX=${mode}: use auto, node or off.`);
}

let bwrapWorks: boolean | null = null;

/** Whether bubblewrap is installed and can make namespaces here (it may not, e.g. in some containers). */
export function bubblewrapWorks(): boolean {
  if (bwrapWorks === null) {
    if (process.platform !== "linux") return (bwrapWorks = false);
    const r = spawnSync("bwrap", ["--ro-bind", "/", "/", "--unshare-pid", "--unshare-net", "--", "true"], { stdio: "ignore", timeout: 10_000 });
    bwrapWorks = r.status === 0;
  }
  return bwrapWorks;
}

/** The layers in force for this process's probes, for reports and docs: e.g. ["node-permission", "bubblewrap"]. */
export function sandboxLayers(): string[] {
  const mode = sandboxMode();
  if (mode === "off") return [];
  return mode === "auto" && bubblewrapWorks() ? ["node-permission", "bubblewrap"] : ["node-permission"];
}

const MAJOR = Number(process.versions.node.split(".")[0]);

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** One permission flag per path; folders with a wildcard on Node 20 (its syntax), plain on 22+. */
function permissionFlags(flag: string, paths: string[]): string[] {
  return paths.map((p) => `--allow-fs-${flag}=${isDir(p) && MAJOR < 22 ? join(p, "*") : p}`);
}

function nodeArgs(plan: SandboxPlan, tmp: string, permission: boolean): string[] {
  const flags = [`--max-old-space-size=${plan.memoryMb}`];
  if (!permission) return [...flags, plan.entry];
  const readable = [...new Set([plan.entry, ...plan.readable, tmp].flatMap((p) => (existsSync(p) ? [p, real(p)] : [])))];
  return [
    ...flags,
    MAJOR >= 22 ? "--permission" : "--experimental-permission",
    "--disable-warning=ExperimentalWarning",
    ...permissionFlags("read", readable),
    ...permissionFlags("write", [tmp]),
    plan.entry,
  ];
}

/** bubblewrap's arguments: read-only root, private /tmp, the repository emptied but for `readable`. */
function wallArgs(plan: SandboxPlan, tmp: string): string[] {
  const args = ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"];
  const cover = (path: string): string[] => (isDir(path) ? ["--tmpfs", path] : existsSync(path) ? ["--ro-bind", "/dev/null", path] : []);
  for (const path of [real(plan.root), ...plan.hide.map(real)]) args.push(...cover(path));
  const paths = [plan.entry, ...plan.readable].filter((p) => existsSync(p));
  const bound = paths.map(real);
  for (const r of bound) args.push("--ro-bind", r, r);
  // A link (node_modules linked into a copy of the course) whose own folder is covered: bind its
  // target at its path too, unless it lies inside something already bound.
  for (const path of paths) {
    const r = real(path);
    const inside = [...bound, ...paths].some((b) => b !== path && path.startsWith(`${b}/`));
    if (r !== path && !inside) args.push("--ro-bind", r, path);
  }
  args.push("--bind", tmp, tmp);
  args.push("--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--die-with-parent", "--new-session", "--cap-drop", "ALL");
  return args;
}

/** The command that starts one probe process under the sandbox in force. */
export function launch(plan: SandboxPlan): Launch {
  const mode = sandboxMode();
  const tmp = mkdtempSync(join(tmpdir(), "probe-"));
  if (mode === "off") return { command: process.execPath, args: nodeArgs(plan, tmp, false), tmp, wrapped: false };
  const node = nodeArgs(plan, tmp, true);
  if (mode === "node" || !bubblewrapWorks()) return { command: process.execPath, args: node, tmp, wrapped: false };
  return { command: "bwrap", args: [...wallArgs(plan, tmp), "--", process.execPath, ...node], tmp, wrapped: true };
}
