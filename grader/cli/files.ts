/**
 * Which test files a grading run includes: the lesson tests (grader/tests, or `--tests DIR`) and
 * an instructor's hidden tests (`--hidden DIR`), narrowed to the lessons named on the command line.
 * Shared by the CLI and grader/vitest.config.ts, which read the same environment:
 *   GRADE_TESTS_DIR   folder of lesson tests (default grader/tests)
 *   GRADE_HIDDEN_DIR  folder of extra tests (optional)
 *   GRADE_IDS         space-separated lesson or exercise ids, e.g. "01 02.mlp" (optional)
 */
import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";

export interface Selection {
  testsDir: string;
  hiddenDir: string | null;
  ids: string[];
}

export function selectionFromEnv(root: string, env: NodeJS.ProcessEnv = process.env): Selection {
  return {
    testsDir: resolve(root, env.GRADE_TESTS_DIR || join("grader", "tests")),
    hiddenDir: env.GRADE_HIDDEN_DIR ? resolve(root, env.GRADE_HIDDEN_DIR) : null,
    ids: (env.GRADE_IDS ?? "").split(/\s+/).filter(Boolean),
  };
}

/** The lesson part of an id: "01.bigram-counts" → "01". */
export function lessonOf(id: string): string {
  return id.split(".")[0] as string;
}

function testsIn(dir: string, lessons: Set<string>): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".test.ts"))
    .filter((f) => lessons.size === 0 || [...lessons].some((l) => baseName(f).startsWith(`${l}-`)))
    .sort()
    .map((f) => join(dir, f));
}

function baseName(file: string): string {
  return file.split(/[\\/]/).pop() as string;
}

/** Absolute paths of the selected test files, lesson tests first. */
export function testFiles(sel: Selection): string[] {
  const lessons = new Set(sel.ids.map(lessonOf));
  const hidden = sel.hiddenDir ? testsIn(sel.hiddenDir, lessons) : [];
  return [...testsIn(sel.testsDir, lessons), ...hidden];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * A vitest `-t` pattern when some ids name single exercises ("01.bigram-counts"); lesson ids in
 * the same command keep all of their lesson's tests. Null when every id is a lesson.
 */
export function testNamePattern(ids: readonly string[]): string | null {
  if (!ids.some((id) => id.includes("."))) return null;
  const parts = ids.map((id) =>
    id.includes(".") ? `${escapeRegExp(id)} \\[` : `${escapeRegExp(id)}\\.[^ ]+ \\[`,
  );
  return `(^| )(${parts.join("|")})`;
}

/** A vitest `-t` pattern matching exactly these graded tests (`<id> [<n> pts] <title>`). */
export function exactNamePattern(tests: readonly { id: string; points: number; title: string }[]): string {
  const names = tests.map((t) => escapeRegExp(`${t.id} [${t.points} ${t.points === 1 ? "pt" : "pts"}] ${t.title}`));
  return `(^| )(${names.join("|")})$`;
}
