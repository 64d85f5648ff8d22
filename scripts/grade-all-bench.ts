/**
 * A class graded by hand, to measure the grader at class scale (not part of `npm test`):
 *
 *   npx tsx scripts/grade-all-bench.ts --count 30 [--lessons 00,01] [--jobs 2]
 *
 * writes COUNT generated submissions (a quarter each: correct = the references, stub = the
 * exercise stubs, partial = the first half of the lessons correct and the rest stubs, broken = the
 * references with a syntax error in the first lesson), grades them with `grade-all`, checks every
 * total in gradebook.csv against what its kind must score, and prints the throughput and the
 * machine's load. docs/GRADING.md records the numbers.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const KINDS = ["correct", "stub", "partial", "broken"] as const;
type Kind = (typeof KINDS)[number];

function lessonFiles(lessons: string[]): string[] {
  return readdirSync(join(ROOT, "solutions")).filter((f) => /^\d\d-.*\.ts$/.test(f) && (lessons.length === 0 || lessons.includes(f.slice(0, 2)))).sort();
}

function write(dir: string, kind: Kind, files: string[]): void {
  mkdirSync(dir, { recursive: true });
  const half = Math.ceil(files.length / 2);
  files.forEach((f, i) => {
    const correct = kind === "correct" || kind === "broken" || (kind === "partial" && i < half);
    copyFileSync(join(ROOT, correct ? "solutions" : "exercises", f), join(dir, f));
  });
  if (kind === "broken") writeFileSync(join(dir, files[0] as string), "export function oops( {\n");
}

/** What a kind must score: its lessons' points. */
function expectedTotal(kind: Kind, files: string[], points: Map<string, number>): number {
  const half = Math.ceil(files.length / 2);
  const of = (fs: string[]): number => fs.reduce((s, f) => s + (points.get(f.slice(0, 2)) ?? 0), 0);
  if (kind === "correct") return of(files);
  if (kind === "partial") return of(files.slice(0, half));
  if (kind === "broken") return of(files.slice(1));
  return 0;
}

function main(): void {
  const { values } = parseArgs({ options: { count: { type: "string" }, lessons: { type: "string" }, jobs: { type: "string" } } });
  const count = Number(values.count ?? 30);
  const lessons = values.lessons ? values.lessons.split(",") : [];
  const files = lessonFiles(lessons);
  const manifest = JSON.parse(readFileSync(join(ROOT, "grader", "tests", "manifest.json"), "utf8")) as { tests: { lesson: string; points: number }[] };
  const points = new Map<string, number>();
  for (const t of manifest.tests) points.set(t.lesson, (points.get(t.lesson) ?? 0) + t.points);
  const scratch = mkdtempSync(join(tmpdir(), "grade-all-bench-"));
  const kindOf = new Map<string, Kind>();
  for (let i = 0; i < count; i++) {
    const kind = KINDS[i % KINDS.length] as Kind;
    const name = `s${String(i).padStart(3, "0")}-${kind}`;
    kindOf.set(name, kind);
    write(join(scratch, "subs", name), kind, files);
  }
  const load = loadavg().map((x) => x.toFixed(2)).join(" ");
  const args = [join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), join(ROOT, "grader", "cli", "grade-all.ts"), join(scratch, "subs"), "--out", join(scratch, "reports")];
  if (values.lessons) args.push("--lessons", values.lessons);
  if (values.jobs) args.push("--jobs", values.jobs);
  const started = Date.now();
  const run = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] });
  const seconds = (Date.now() - started) / 1000;
  const rows = readFileSync(join(scratch, "reports", "gradebook.csv"), "utf8").trim().split("\n");
  const head = (rows[0] as string).split(",");
  const wrong = rows.slice(1).map((r) => r.split(",")).filter((r) => {
    const kind = kindOf.get(r[0] as string) as Kind;
    return Number(r[head.indexOf("total")]) !== expectedTotal(kind, files, points);
  });
  console.log(`\n${count} submissions of lessons ${files.map((f) => f.slice(0, 2)).join(",")}: grade-all exit ${run.status}, ${seconds.toFixed(0)} s wall in all`);
  console.log(`load average before: ${load}; after: ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
  console.log(wrong.length === 0 ? "gradebook.csv: every total is what its kind must score" : `gradebook.csv: WRONG totals: ${wrong.map((r) => r.slice(0, 1).concat(r.slice(-3)).join(" ")).join("; ")}`);
  console.log(`faults: ${readFileSync(join(scratch, "reports", "grader-faults.txt"), "utf8").split("\n")[0]}`);
  rmSync(scratch, { recursive: true, force: true });
  if (wrong.length > 0 || run.status !== 0) process.exitCode = 1;
}

main();
