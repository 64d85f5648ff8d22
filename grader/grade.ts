/**
 * `npm run grade -- [ids…] [--target exercises|solutions|DIR] [--json FILE] [--hidden DIR]
 * [--solutions DIR] [--tests DIR] [--deadline SECONDS]`: grade the target against the
 * references' outputs with the lesson tests, print a per-exercise table and write the JSON,
 * Gradescope and JUnit reports. The reports are always written, after every process of the run
 * is gone. Exit code 0 when every graded test passed, 1 otherwise, 2 for a usage error.
 * `npm run grade -- --write-manifest` regenerates the tests folder's manifest.json.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseCliArgs, USAGE, UsageError, type CliArgs } from "./cli/args.ts";
import { ensureLibBuilt } from "./cli/build-lib.ts";
import { exactNamePattern, testFiles } from "./cli/files.ts";
import { buildManifest, listTests, readManifest, selected, writeManifest, type ManifestTest } from "./cli/manifest.ts";
import { Redactor } from "./cli/redact.ts";
import { counts, makeReport, redacted, reportAgainstManifest, runFailure, type GradeReport } from "./cli/report.ts";
import { runningGroups, runVitest } from "./cli/run-vitest.ts";
import { formatTable } from "./cli/table.ts";
import { writeReports } from "./cli/writers.ts";
import { sandboxLayers } from "./harness/sandbox.ts";

const root = fileURLToPath(new URL("..", import.meta.url));

/** A path relative to the repository when inside it. */
function shown(path: string): string {
  const rel = relative(root, path);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}

/** The target as the report names it: a keyword, or its folder. */
function targetLabel(args: CliArgs): string {
  return isAbsolute(args.target) ? shown(args.target) : args.target;
}

/** The hidden tests, listed before any graded code runs. */
async function hiddenTests(args: CliArgs): Promise<ManifestTest[]> {
  if (!args.hiddenDir) return [];
  const empty = mkdtempSync(join(tmpdir(), "grade-none-"));
  try {
    const env = { ...process.env, GRADE_TESTS_DIR: empty, GRADE_HIDDEN_DIR: args.hiddenDir, GRADE_IDS: args.ids.join(" ") };
    return (await listTests(root, env)).map((t) => ({ ...t, hidden: true }));
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
}

/** Every test the run must report: the manifest's (narrowed to the ids), then the hidden ones. */
async function expectedTests(args: CliArgs): Promise<ManifestTest[]> {
  let manifest = readManifest(args.testsDir);
  if (!manifest) {
    process.stderr.write(`${shown(args.testsDir)} has no manifest.json: listing its tests now (npm run grade -- --write-manifest --tests DIR writes one).\n`);
    manifest = await buildManifest(root, args.testsDir);
  }
  const tests = [...selected(manifest, args.ids), ...selected({ about: "", tests: await hiddenTests(args) }, args.ids)];
  if (!args.grep) return tests;
  const grep = new RegExp(args.grep);
  return tests.filter((t) => grep.test(t.title));
}

/**
 * The default time limit of a submission: 60 s, and 3 s per graded test (441 s for the 127 tests
 * of all 13 lessons, about 30 times what a correct full submission takes on a 2-core machine).
 */
export function defaultDeadline(tests: number): number {
  return 60 + 3 * tests;
}

/** What is known before the run: kept so a signal can still write the reports. */
const known: { target: string; tests: ManifestTest[] } = { target: "", tests: [] };

async function grade(args: CliArgs): Promise<GradeReport> {
  const target = targetLabel(args);
  known.target = target;
  ensureLibBuilt(root);
  let tests: ManifestTest[];
  try {
    tests = await expectedTests(args);
  } catch (err) {
    return makeReport(target, [runFailure(`the tests could not be listed, so nothing was graded: ${err instanceof Error ? err.message : String(err)}`)]);
  }
  known.tests = tests;
  if (tests.length === 0) {
    const which = args.ids.length ? `for ${args.ids.join(", ")} ` : "";
    const dirs = [args.testsDir, ...(args.hiddenDir ? [args.hiddenDir] : [])].map(shown).join(" or ");
    return makeReport(target, [runFailure(`No graded tests ${which}in ${dirs}.`)]);
  }
  const seconds = args.deadline ?? defaultDeadline(tests.length);
  if (testFiles({ testsDir: args.testsDir, hiddenDir: args.hiddenDir, ids: args.ids }).length === 0) {
    // The manifest's test files are gone: every test fails with "did not run".
    return { ...reportAgainstManifest(target, null, { tests, deadlinePassed: false }, root), deadline: { seconds, passed: false } };
  }
  const run = await runVitest(root, args, seconds * 1000, args.grep ? exactNamePattern(tests) : null);
  const report = reportAgainstManifest(target, run.results, { tests, deadlinePassed: run.deadlinePassed }, root);
  if (!run.results && !run.deadlinePassed) {
    report.tests.push(runFailure(`vitest stopped (exit code ${run.exitCode}) without results:\n${run.outputTail}`));
  }
  return { ...makeReport(target, report.tests), deadline: { seconds, passed: run.deadlinePassed } };
}

/** The reports, made safe to show: nothing from the references or hidden tests, messages capped. */
function finish(report: GradeReport, args: CliArgs, started: number): string[] {
  const safe = redacted(report, new Redactor([args.solutionsDir, ...(args.hiddenDir ? [args.hiddenDir] : [])]));
  const full = { ...safe, sandbox: sandboxLayers(), seconds: Math.round((Date.now() - started) / 100) / 10 };
  const written = writeReports(full, args.jsonFile);
  process.stdout.write(`\n${formatTable(full).join("\n")}\n`);
  process.stderr.write(`Reports: ${written.join(", ")}\n`);
  return written;
}

/** Stopped from outside (SIGTERM, SIGINT, SIGHUP): kill the run, still write the reports. */
function onSignal(args: CliArgs, started: number, signal: NodeJS.Signals): void {
  for (const pgid of runningGroups) {
    try {
      process.kill(-pgid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  const report = reportAgainstManifest(known.target, null, { tests: known.tests, deadlinePassed: false }, root);
  report.tests.push(runFailure(`the grading was stopped (${signal}) before it finished.`));
  finish(makeReport(known.target, report.tests), args, started);
  process.exit(1);
}

async function main(argv: string[]): Promise<number> {
  let args: CliArgs;
  try {
    args = parseCliArgs(argv, process.env.INIT_CWD ?? process.cwd(), root);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`${err.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (args.writeManifest) {
    process.stdout.write(`Wrote ${shown(await writeManifest(root, args.testsDir))}\n`);
    return 0;
  }
  const started = Date.now();
  for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) process.on(signal, () => onSignal(args, started, signal));
  let report: GradeReport;
  try {
    report = await grade(args);
  } catch (err) {
    report = makeReport(targetLabel(args), [runFailure(err instanceof Error ? err.message : String(err))]);
  }
  finish(report, args, started);
  const { failed } = counts(report);
  return report.tests.length > 0 && failed === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`grade: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
