/** Running a copy of the course (a release, an autograder package) that borrows this checkout's node_modules. */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./cli.ts";

/** Give `tree` this checkout's node_modules (a link; packages resolve from here). */
export function borrowNodeModules(tree: string): void {
  if (!existsSync(join(tree, "node_modules"))) symlinkSync(join(ROOT, "node_modules"), join(tree, "node_modules"), "dir");
}

export interface TreeRun {
  code: number;
  output: string;
}

/** Run a command in `cwd` with the outer test run's variables removed. */
export function runIn(cwd: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<TreeRun> {
  const clean: NodeJS.ProcessEnv = { NO_COLOR: "1" };
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith("VITEST") && !k.startsWith("GRADE_") && k !== "NODE_ENV" && k !== "TEST" && k !== "GENAI_ROOT" && k !== "INIT_CWD") clean[k] = v;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...clean, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString("utf8")));
    child.stderr.on("data", (c: Buffer) => (output += c.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, output }));
  });
}

/** Grade inside `tree` with its own grader; the JSON report. */
export async function gradeIn(tree: string, args: string[], json: string): Promise<{ run: TreeRun; report: { score: number; maxScore: number; tests: { id: string; status: string; message: string }[] } }> {
  const tsx = join(tree, "node_modules", "tsx", "dist", "cli.mjs");
  const run = await runIn(tree, process.execPath, [tsx, join(tree, "grader", "grade.ts"), ...args, "--json", json]);
  if (!existsSync(json)) throw new Error(`no report from grading in ${tree}:\n${run.output.slice(-3000)}`);
  return { run, report: JSON.parse(readFileSync(json, "utf8")) };
}
