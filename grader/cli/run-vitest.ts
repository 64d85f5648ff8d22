/** Run vitest on the selected test files in a child process and collect the raw results. */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CliArgs } from "./args.ts";
import { testNamePattern } from "./files.ts";
import type { RawResults } from "./reporter.ts";

export interface VitestRun {
  /** Null when vitest ended without writing results (it crashed or its config failed). */
  results: RawResults | null;
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

/** Run the graded tests; vitest's own output goes to stderr. */
export async function runVitest(root: string, args: CliArgs): Promise<VitestRun> {
  const dir = mkdtempSync(join(tmpdir(), "grade-"));
  const resultsFile = join(dir, "results.json");
  const pattern = testNamePattern(args.ids);
  const vitest = join(root, "node_modules", "vitest", "vitest.mjs");
  const argv = [vitest, "run", "--config", join(root, "grader", "vitest.config.ts")];
  if (pattern) argv.push("--testNamePattern", pattern);
  let tail = "";
  try {
    const child = spawn(process.execPath, argv, {
      cwd: root,
      env: gradeEnv(args, resultsFile),
      stdio: ["ignore", "pipe", "pipe"],
    });
    const keep = (chunk: Buffer): void => {
      process.stderr.write(chunk);
      tail = (tail + chunk.toString("utf8")).slice(-TAIL);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    const exitCode = await new Promise<number>((done) => {
      child.on("error", () => done(-1));
      child.on("close", (code) => done(code ?? -1));
    });
    return { results: readResults(resultsFile), exitCode, outputTail: tail };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
