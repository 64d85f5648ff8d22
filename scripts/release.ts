/**
 * `npm run release -- --out DIR [--lessons 00,01,05]`: a repository a learner can clone, without
 * the answers. It holds the notebooks, exercise stubs, library, datasets, grader and docs of the
 * chosen lessons; no solutions/, no `BEGIN SOLUTION` text, no reference function body. Its grader
 * checks against the references' outputs, recorded here (grader/expected/), so `npm run grade`
 * there scores the stubs 0 and a correct implementation 100 %. The release is checked for
 * solution text before this command reports success: it fails if any file holds a solution body,
 * except the few one-line bodies that release/library-may-hold.txt lets the library keep.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { lessonIds, recordExpected } from "./release/record.ts";
import { allowedInLibrary, findSolutionText, judge, type Finding } from "./release/solution-text.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Tracked paths that never go into a release: the answers and the tools that need them. */
const LEFT_OUT = [
  /^solutions\//, /^grader\/selftest\//, /^scripts\/test\//, /^scripts\/quality/, /^scripts\/release/,
  /^scripts\/exercise/, /^scripts\/exercises\.ts$/, /^grader\/autograder\//, /^grader\/cli\/grade-all/, /^\.ci\//,
  /^scripts\/grade-all-bench\.ts$/, /^docs\/CONTRIBUTING\.md$/, /^docs\/INSTRUCTORS\.md$/,
];

const PER_LESSON = /^(notebooks|exercises|solutions|grader\/tests|grader\/probes|scripts\/quality)\/(\d\d)-/;

/** The repository's files (tracked, or new and not ignored) that belong in a release of `lessons`. */
export function releaseFiles(root: string, lessons: string[]): string[] {
  const out = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], { cwd: root, encoding: "utf8" });
  return out.split("\n").filter(Boolean).filter((f) => existsSync(join(root, f))).filter((f) => {
    if (LEFT_OUT.some((re) => re.test(f))) return false;
    const lesson = PER_LESSON.exec(f)?.[2];
    return lesson === undefined || lessons.includes(lesson);
  });
}

const REFERENCE_NOTE = /> \*\*Running the reference code instead of yours[.:]\*\*[^\n]*(?:\n> [^\n]*)*\n?/;
const RELEASE_NOTE = "> **This is a student release:** it has no reference solutions, so `lesson(…)` always runs your\n> code in `exercises/`. `npm run grade` checks it against the references' recorded outputs.\n";

/** A notebook without the "run the references" switch, which a release cannot offer. */
function releaseNotebook(text: string): string {
  const nb = JSON.parse(text) as { cells: { cell_type: string; source: string[] | string }[] };
  for (const cell of nb.cells) {
    if (cell.cell_type !== "markdown") continue;
    const source = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
    if (!REFERENCE_NOTE.test(source)) continue;
    const changed = source.replace(REFERENCE_NOTE, RELEASE_NOTE);
    cell.source = changed.split(/(?<=\n)/);
  }
  return `${JSON.stringify(nb, null, 1)}\n`;
}

function releasePackage(text: string): string {
  const pkg = JSON.parse(text) as { scripts: Record<string, string> };
  for (const name of ["exercises", "quality", "notebooks", "release", "grade-all", "autograder", "bench"]) delete pkg.scripts[name];
  pkg.scripts.test = "npm run build && npm run typecheck && npm run grade";
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

function releaseManifest(text: string, lessons: string[]): string {
  const m = JSON.parse(text) as { about: string; tests: { lesson: string }[] };
  return `${JSON.stringify({ ...m, tests: m.tests.filter((t) => lessons.includes(t.lesson)) }, null, 1)}\n`;
}

function releaseReadme(text: string): string {
  return text
    .replace(/\n/, `\n\n${RELEASE_NOTE.replace(/^> /gm, "")}\n`)
    .replace(/^\| `solutions\/` \|[^\n]*\n/m, "")
    .replace(/^[^\n]*CONTRIBUTING\.md[^\n]*\n/gm, "");
}

/** Copy the files, changing the few that speak of the references. */
function copyTree(out: string, lessons: string[]): void {
  for (const file of releaseFiles(ROOT, lessons)) {
    const from = join(ROOT, file);
    const to = join(out, file);
    mkdirSync(dirname(to), { recursive: true });
    let text: string | null = null;
    if (file.endsWith(".ipynb")) text = releaseNotebook(readFileSync(from, "utf8"));
    else if (file === "package.json") text = releasePackage(readFileSync(from, "utf8"));
    else if (file === "grader/tests/manifest.json") text = releaseManifest(readFileSync(from, "utf8"), lessons);
    else if (file === "README.md") text = releaseReadme(readFileSync(from, "utf8"));
    else if (file === ".gitignore") text = readFileSync(from, "utf8").replace(/^\/grader\/expected\/\n/m, "");
    if (text === null) cpSync(from, to);
    else writeFileSync(to, text);
  }
}

export interface ReleaseResult {
  out: string;
  lessons: string[];
  files: number;
  recordSeconds: number;
  /**
   * Exercise bodies that the library (lib/) also holds word for word, each allowed, with its
   * reason, by release/library-may-hold.txt. Any other solution text fails the release.
   */
  sharedWithLibrary: string[];
}

/** Throw, listing them, if any findings are not allowed. */
function refuse(problems: Finding[], where: string): void {
  if (problems.length === 0) return;
  throw new Error(
    `${where} holds solution text:\n  ${problems.map((p) => p.text).join("\n  ")}\n` +
      "Rewrite the library's version the way the library needs it (scripts/test/twins.test.ts keeps it equal to the " +
      "exercise), or, for a one-line formula that cannot honestly differ, add it with its reason to scripts/release/library-may-hold.txt.",
  );
}

/**
 * The library's sources hold no solution body beyond `allowed` (throws, listing them, if they do).
 * Returns the allowed ones found, as `lib/src/…: the body of …`.
 */
export function checkLibrary(allowed: Map<string, string> = allowedInLibrary()): string[] {
  const found = findSolutionText(join(ROOT, "lib", "src"), join(ROOT, "solutions"))
    .map((f) => ({ ...f, where: `lib/src/${f.where}`, text: `lib/src/${f.text}` }));
  const { shared, problems } = judge(found, allowed);
  refuse(problems, "the library (lib/src)");
  return shared.map((f) => f.text);
}

/**
 * Build the release of `lessons` in `out` (which must be empty or absent). With `hidden`, the
 * hidden tests' expected outputs are recorded too (for the autograder package; a student release
 * has none).
 */
export async function buildRelease(out: string, lessons: string[], o: { hidden?: string | null } = {}): Promise<ReleaseResult> {
  if (existsSync(out) && readdirSync(out).length > 0) throw new Error(`${out} is not empty; give an empty or new folder.`);
  const allowed = allowedInLibrary();
  checkLibrary(allowed); // fails in seconds, before the references are graded
  const expected = mkdtempSync(join(tmpdir(), "release-expected-"));
  try {
    const rec = await recordExpected(ROOT, expected, lessons, o.hidden ?? null);
    mkdirSync(out, { recursive: true });
    copyTree(out, lessons);
    cpSync(expected, join(out, "grader", "expected"), { recursive: true });
    const { shared, problems } = judge(findSolutionText(out, join(ROOT, "solutions")), allowed);
    refuse(problems, `the release in ${out}`);
    const sharedWithLibrary = shared.map((f) => `${f.text} — allowed: ${allowed.get(`${f.ref?.file} ${f.ref?.symbol}`)}`);
    return { out, lessons, files: releaseFiles(ROOT, lessons).length, recordSeconds: rec.seconds, sharedWithLibrary };
  } finally {
    rmSync(expected, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: "string" }, lessons: { type: "string" } } });
  if (!values.out) throw new Error("Usage: npm run release -- --out DIR [--lessons 00,01,05]");
  const all = lessonIds(readdirSync(join(ROOT, "solutions")));
  const lessons = values.lessons ? values.lessons.split(",").map((s) => s.trim()) : all;
  const unknown = lessons.filter((l) => !all.includes(l));
  if (unknown.length) throw new Error(`no lesson ${unknown.join(", ")}; lessons with solutions: ${all.join(", ")}.`);
  const out = resolve(process.env.INIT_CWD ?? process.cwd(), values.out);
  const r = await buildRelease(out, lessons);
  const kept = r.sharedWithLibrary.length > 0 ? `no solution text but the ${r.sharedWithLibrary.length} one-line bodies below` : "no solution text";
  console.log(`Release of lessons ${r.lessons.join(", ")} in ${r.out}: ${r.files} files, ${kept}; references' outputs recorded in ${r.recordSeconds.toFixed(0)} s.`);
  if (r.sharedWithLibrary.length > 0) {
    console.log(`In the library, word for word, as scripts/release/library-may-hold.txt allows:\n  ${r.sharedWithLibrary.join("\n  ")}`);
  }
  console.log(`Next: cd ${r.out} && git init && git add -A && git commit -m "Course release"`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(`release: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  });
}
