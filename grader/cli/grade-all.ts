/**
 * `npm run grade-all -- SUBMISSIONS --out REPORTS [--jobs N] [--hidden DIR] [--lessons 00,01]
 * [--deadline SECONDS]`: grade every submission of a class. A submission is a folder (or a .zip)
 * of exercise files `NN-name.ts`, or a clone of the course with them in `exercises/`. Each is
 * graded by the grade CLI in its own sandbox, N at a time (default: the number of cores), after
 * the references' outputs have been computed once. Writes REPORTS/<name>/ (the three reports and
 * the console output), REPORTS/gradebook.csv (one row per student, one column per exercise, the
 * total) and REPORTS/grader-faults.txt (failures that look like the grader's, not the student's).
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { GradeReport } from "./report.ts";
import { gradebook, graderFaults } from "./gradebook.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface Submission {
  name: string;
  /** The folder holding its NN-name.ts files. */
  dir: string;
}

/** The submissions in `dir`: folders and zips, by name; zips are unpacked into `scratch`. */
export function findSubmissions(dir: string, scratch: string): Submission[] {
  const subs: Submission[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) subs.push({ name: entry, dir: existsSync(join(path, "exercises")) ? join(path, "exercises") : path });
    else if (entry.endsWith(".zip")) {
      const to = join(scratch, basename(entry, ".zip"));
      mkdirSync(to, { recursive: true });
      const r = spawnSyncQuiet("unzip", ["-q", "-o", path, "-d", to]);
      if (r !== 0) throw new Error(`${path} could not be unpacked (unzip exit code ${r}).`);
      const inner = readdirSync(to);
      const only = inner.length === 1 && statSync(join(to, inner[0] as string)).isDirectory() ? join(to, inner[0] as string) : to;
      subs.push({ name: basename(entry, ".zip"), dir: existsSync(join(only, "exercises")) ? join(only, "exercises") : only });
    }
  }
  return subs;
}

function spawnSyncQuiet(cmd: string, args: string[]): number {
  return spawnSync(cmd, args, { stdio: "ignore" }).status ?? -1;
}

interface Options {
  out: string;
  jobs: number;
  hidden: string | null;
  ids: string[];
  deadline: string | null;
  submissionsDir: string;
  /** Passed on to the grade CLI: other references or lesson tests (default solutions/, grader/tests/). */
  solutions: string | null;
  tests: string | null;
}

/** Grade one submission with the grade CLI; resolves with its report and seconds. */
function gradeOne(sub: Submission, o: Options): Promise<{ report: GradeReport | null; seconds: number }> {
  const dir = join(o.out, sub.name);
  mkdirSync(dir, { recursive: true });
  const json = join(dir, "grade-report.json");
  const argv = [join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), join(ROOT, "grader", "grade.ts"), ...o.ids, "--target", sub.dir, "--json", json];
  if (o.hidden) argv.push("--hidden", o.hidden);
  if (o.deadline) argv.push("--deadline", o.deadline);
  if (o.solutions) argv.push("--solutions", o.solutions);
  if (o.tests) argv.push("--tests", o.tests);
  const started = Date.now();
  const env = { ...process.env, GRADE_SANDBOX_HIDE: [o.submissionsDir, o.out].join(":") };
  return new Promise((done) => {
    const child = spawn(process.execPath, argv, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let text = "";
    child.stdout.on("data", (c: Buffer) => (text += c.toString("utf8")));
    child.stderr.on("data", (c: Buffer) => (text = (text + c.toString("utf8")).slice(-200_000)));
    child.on("close", () => {
      writeFileSync(join(dir, "grade.txt"), text);
      let report: GradeReport | null = null;
      try {
        report = JSON.parse(readFileSync(json, "utf8")) as GradeReport;
      } catch {
        report = null;
      }
      done({ report, seconds: (Date.now() - started) / 1000 });
    });
  });
}

/**
 * Grade the references first (where they are): their outputs are then computed once for the
 * whole class, and a reference that does not score 100 % stops the run before any student is graded.
 */
async function warmUp(o: Options, scratch: string): Promise<number> {
  const solutions = o.solutions ?? join(ROOT, "solutions");
  if (!existsSync(solutions)) return 0;
  const r = await gradeOne({ name: "references", dir: solutions }, { ...o, out: scratch });
  const failed = r.report?.tests.filter((t) => t.status !== "passed") ?? [];
  if (!r.report || failed.length > 0) {
    throw new Error(`the references do not score 100 %, so no student was graded:\n${failed.map((t) => `  ${t.id}: ${t.message.split("\n")[0]}`).join("\n")}`);
  }
  return r.seconds;
}

export async function gradeAll(o: Options): Promise<{ count: number; seconds: number; warmUp: number }> {
  const scratch = mkdtempSync(join(tmpdir(), "grade-all-"));
  try {
    const subs = findSubmissions(o.submissionsDir, scratch);
    if (subs.length === 0) throw new Error(`no submissions (folders or .zip files) in ${o.submissionsDir}.`);
    mkdirSync(o.out, { recursive: true });
    const warm = await warmUp(o, scratch);
    const started = Date.now();
    const results: { name: string; report: GradeReport | null; seconds: number }[] = [];
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < subs.length) {
        const sub = subs[next++] as Submission;
        const r = await gradeOne(sub, o);
        results.push({ name: sub.name, ...r });
        process.stderr.write(`graded ${sub.name}: ${r.report ? `${r.report.score}/${r.report.maxScore}` : "no report"} in ${r.seconds.toFixed(1)} s (${results.length}/${subs.length})\n`);
      }
    };
    await Promise.all(Array.from({ length: Math.min(o.jobs, subs.length) }, lane));
    const seconds = (Date.now() - started) / 1000;
    results.sort((a, b) => a.name.localeCompare(b.name));
    writeFileSync(join(o.out, "gradebook.csv"), gradebook(results));
    writeFileSync(join(o.out, "grader-faults.txt"), graderFaults(results));
    return { count: subs.length, seconds, warmUp: warm };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      out: { type: "string" }, jobs: { type: "string" }, hidden: { type: "string" }, lessons: { type: "string" },
      deadline: { type: "string" }, solutions: { type: "string" }, tests: { type: "string" },
    },
  });
  const base = process.env.INIT_CWD ?? process.cwd();
  if (positionals.length !== 1 || !values.out) throw new Error("Usage: npm run grade-all -- SUBMISSIONS --out REPORTS [--jobs N] [--hidden DIR] [--lessons 00,01] [--deadline SECONDS]");
  const o: Options = {
    submissionsDir: resolve(base, positionals[0] as string),
    out: resolve(base, values.out),
    jobs: Math.max(1, Number(values.jobs ?? availableParallelism())),
    hidden: values.hidden ? resolve(base, values.hidden) : null,
    ids: values.lessons ? values.lessons.split(",").map((s) => s.trim()) : [],
    deadline: values.deadline ?? null,
    solutions: values.solutions ? resolve(base, values.solutions) : null,
    tests: values.tests ? resolve(base, values.tests) : null,
  };
  const r = await gradeAll(o);
  const per = r.seconds / r.count;
  console.log(`Graded ${r.count} submissions in ${r.seconds.toFixed(0)} s with ${o.jobs} at a time (${per.toFixed(1)} s each on average; references' outputs ready in ${r.warmUp.toFixed(0)} s).`);
  console.log(`At this rate one hour grades about ${Math.floor(3600 / per)} submissions. Gradebook: ${join(o.out, "gradebook.csv")}; grader faults: ${join(o.out, "grader-faults.txt")}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(`grade-all: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  });
}
