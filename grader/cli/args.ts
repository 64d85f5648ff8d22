/** The grade CLI's command line. */
import { existsSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { parseArgs } from "node:util";

export const USAGE = `Usage: npm run grade -- [ids…] [options]

  ids                 lessons ("01") or exercises ("01.bigram-counts"); default: all
  --target T          what to grade: exercises (default), solutions, or a folder
  --json FILE         the JSON report (default grade-report.json); results.json
                      (Gradescope) and junit.xml are written beside it
  --hidden DIR        also run the instructor's tests in DIR (*.test.ts)
  --solutions DIR     reference solutions (default solutions/)
  --tests DIR         lesson tests (default grader/tests/)
  --deadline SECONDS  time limit for the whole submission (default: 60 s + 3 s
                      per graded test); then the remaining tests fail with
                      "not graded: time limit for the submission"
  --grep REGEX        only the tests whose title matches REGEX
  --write-manifest    regenerate the tests folder's manifest.json and exit
  -h, --help          show this text

Exit code: 0 when every graded test passed, 1 otherwise, 2 for a usage error.`;

export interface CliArgs {
  ids: string[];
  /** "exercises", "solutions" or an absolute folder. */
  target: string;
  jsonFile: string;
  hiddenDir: string | null;
  solutionsDir: string;
  testsDir: string;
  /** Seconds for the whole submission, or null for the default from the manifest. */
  deadline: number | null;
  /** Only the tests whose title matches this (a regular expression), or null for all. */
  grep: string | null;
  writeManifest: boolean;
  help: boolean;
}

/** A command line that cannot be run; the message says why. */
export class UsageError extends Error {}

const ID = /^\d{2}(\.[A-Za-z0-9][\w-]*)?$/;

/**
 * Parse the arguments. Relative paths are taken from `base` (where the user ran the command:
 * npm sets INIT_CWD to it); built-in folders from `root`.
 */
export function parseCliArgs(argv: string[], base: string, root: string): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        target: { type: "string" },
        json: { type: "string" },
        hidden: { type: "string" },
        solutions: { type: "string" },
        tests: { type: "string" },
        deadline: { type: "string" },
        grep: { type: "string" },
        "write-manifest": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values: v, positionals } = parsed;
  const bad = positionals.find((id) => !ID.test(id));
  if (bad) throw new UsageError(`"${bad}" is not a lesson id ("01") or an exercise id ("01.bigram-counts").`);
  const path = (p: string): string => (isAbsolute(p) ? p : resolve(base, p));
  const target = v.target ?? "exercises";
  if (v.hidden && !existsSync(path(v.hidden))) throw new UsageError(`--hidden ${v.hidden}: there is no such folder (${path(v.hidden)}).`);
  const deadline = v.deadline === undefined ? null : Number(v.deadline);
  if (deadline !== null && !(deadline > 0)) throw new UsageError(`--deadline ${v.deadline}: give a number of seconds > 0.`);
  return {
    ids: positionals,
    target: target === "exercises" || target === "solutions" ? target : path(target),
    jsonFile: path(v.json ?? "grade-report.json"),
    hiddenDir: v.hidden ? path(v.hidden) : null,
    solutionsDir: v.solutions ? path(v.solutions) : resolve(root, "solutions"),
    testsDir: v.tests ? path(v.tests) : resolve(root, "grader", "tests"),
    deadline,
    grep: v.grep ?? null,
    writeManifest: v["write-manifest"] ?? false,
    help: v.help ?? false,
  };
}
