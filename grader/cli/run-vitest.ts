/**
 * Run vitest on the selected test files in a child process and collect the raw results. Vitest
 * runs in a process group of its own; the probe processes (and anything they start) are in it.
 * At the submission's deadline the whole group is killed; when vitest ends, whatever is left of
 * the group is killed too, and only then are the results read: nothing the graded code started
 * is alive when the reports are written.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join, relative, resolve } from "node:path";
import { refusalsFor } from "../harness/compile.ts";
import type { CliArgs } from "./args.ts";
import { testNamePattern } from "./files.ts";
import { partialResults, type RawResults } from "./reporter.ts";

export interface VitestRun {
  /** Null when vitest ended without writing results (it crashed or its config failed). */
  results: RawResults | null;
  /** True when the run was stopped at the submission's deadline (results are then partial). */
  deadlinePassed: boolean;
  exitCode: number;
  /** The end of what vitest printed, for messages when there are no results. */
  outputTail: string;
}

const TAIL = 4000;

/** The environment the grader's vitest config and the harness read. */
export function gradeEnv(args: CliArgs, resultsFile: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GRADE_TARGET: args.target,
    GRADE_SOLUTIONS_DIR: args.solutionsDir,
    GRADE_TESTS_DIR: args.testsDir,
    GRADE_IDS: args.ids.join(" "),
    GRADE_RESULTS_FILE: resultsFile,
    GRADE_REPORT_DIR: join(args.jsonFile, ".."),
  };
  if (args.hiddenDir) env.GRADE_HIDDEN_DIR = args.hiddenDir;
  else delete env.GRADE_HIDDEN_DIR;
  return env;
}

function readResults(file: string): RawResults | null {
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as RawResults;
  } catch {
    return null;
  }
}

/** Whether any process of group `pgid` is still alive. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGKILL every process of the group, then wait (up to 5 s) until none is left. */
export async function killGroup(pgid: number): Promise<void> {
  for (let i = 0; i < 50 && groupAlive(pgid); i++) {
    try {
      process.kill(-pgid, "SIGKILL");
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Vitest groups that must die with this process (SIGTERM, SIGINT, an outer time-out). */
export const runningGroups = new Set<number>();

/**
 * The lesson files of the target and the references, with their refusals for handing work to a
 * library twin worked out once here (one load of the TypeScript parser) and written to `file`.
 */
async function writeRefusals(root: string, args: CliArgs, file: string): Promise<string> {
  const dirs = [args.target === "exercises" || args.target === "solutions" ? join(root, args.target) : resolve(args.target), resolve(args.solutionsDir)];
  const shown = (f: string): string => {
    const rel = relative(root, f);
    return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel.split("\\").join("/") : f;
  };
  const lessons = new Set(args.ids.map((id) => id.slice(0, 2)));
  const files = dirs.flatMap((d) => (existsSync(d) ? readdirSync(d) : [])
    .filter((n) => /^\d\d-.*\.ts$/.test(n) && (lessons.size === 0 || lessons.has(n.slice(0, 2))))
    .map((n) => ({ file: join(d, n), display: shown(join(d, n)) })));
  writeFileSync(file, JSON.stringify(await refusalsFor(files)));
  return file;
}

/** Run the graded tests; vitest's own output goes to stderr. `deadlineMs`: the submission's time. */
export async function runVitest(root: string, args: CliArgs, deadlineMs: number, only: string | null = null): Promise<VitestRun> {
  const dir = mkdtempSync(join(tmpdir(), "grade-"));
  const resultsFile = join(dir, "results.json");
  const pattern = only ?? testNamePattern(args.ids);
  const vitest = join(root, "node_modules", "vitest", "vitest.mjs");
  const argv = [vitest, "run", "--config", join(root, "grader", "vitest.config.ts")];
  if (pattern) argv.push("--testNamePattern", pattern);
  let tail = "";
  let deadlinePassed = false;
  try {
    const env = gradeEnv(args, resultsFile);
    env.GRADE_REFUSED_FILE = await writeRefusals(root, args, join(dir, "refused.json"));
    const child = spawn(process.execPath, argv, {
      cwd: root,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const pgid = child.pid;
    if (pgid !== undefined) runningGroups.add(pgid);
    const keep = (chunk: Buffer): void => {
      process.stderr.write(chunk);
      tail = (tail + chunk.toString("utf8")).slice(-TAIL);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    const deadline = setTimeout(() => {
      deadlinePassed = true;
      process.stderr.write(`\nThe submission's time limit (${Math.round(deadlineMs / 1000)} s) has passed: stopping its tests.\n`);
      if (pgid !== undefined) void killGroup(pgid);
    }, deadlineMs);
    const exitCode = await new Promise<number>((done) => {
      child.on("error", () => done(-1));
      child.on("close", (code) => done(code ?? -1));
    });
    clearTimeout(deadline);
    if (pgid !== undefined) {
      await killGroup(pgid);
      runningGroups.delete(pgid);
    }
    const full = deadlinePassed ? null : readResults(resultsFile);
    const partial = existsSync(`${resultsFile}.jsonl`) ? partialResults(readFileSync(`${resultsFile}.jsonl`, "utf8")) : null;
    return { results: full ?? partial, deadlinePassed, exitCode, outputTail: tail };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
