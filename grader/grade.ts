/**
 * `npm run grade -- [ids…] [--target exercises|solutions|DIR] [--json FILE] [--hidden DIR]
 * [--solutions DIR] [--tests DIR]`: grade the target against the reference solutions with the
 * lesson tests, print a per-exercise table and write the JSON, Gradescope and JUnit reports.
 * Exit code 0 when every graded test passed, 1 otherwise, 2 for a usage error.
 */
import { isAbsolute, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseCliArgs, USAGE, UsageError, type CliArgs } from "./cli/args.ts";
import { ensureLibBuilt } from "./cli/build-lib.ts";
import { testFiles } from "./cli/files.ts";
import { counts, makeReport, reportFromResults, runFailure, type GradeReport } from "./cli/report.ts";
import { runVitest } from "./cli/run-vitest.ts";
import { formatTable } from "./cli/table.ts";
import { writeReports } from "./cli/writers.ts";

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

function selectedFiles(args: CliArgs): string[] {
  return testFiles({ testsDir: args.testsDir, hiddenDir: args.hiddenDir, ids: args.ids });
}

async function grade(args: CliArgs): Promise<GradeReport> {
  const target = targetLabel(args);
  try {
    ensureLibBuilt(root);
    if (selectedFiles(args).length === 0) {
      const which = args.ids.length ? `for ${args.ids.join(", ")} ` : "";
      const dirs = [args.testsDir, ...(args.hiddenDir ? [args.hiddenDir] : [])].map(shown).join(" or ");
      return makeReport(target, [runFailure(`No test files ${which}in ${dirs}.`)]);
    }
    const run = await runVitest(root, args);
    if (!run.results) {
      return makeReport(target, [runFailure(`vitest stopped (exit code ${run.exitCode}) without results:\n${run.outputTail}`)]);
    }
    const report = reportFromResults(target, run.results, root);
    if (report.tests.length === 0) report.tests.push(runFailure("The selected test files contain no graded tests."));
    return report;
  } catch (err) {
    return makeReport(target, [runFailure(err instanceof Error ? err.message : String(err))]);
  }
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
  const report = await grade(args);
  const written = writeReports(report, args.jsonFile);
  process.stdout.write(`\n${formatTable(report).join("\n")}\n`);
  process.stderr.write(`Reports: ${written.join(", ")}\n`);
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
