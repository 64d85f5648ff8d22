/**
 * What is graded against what, read from the environment the grade CLI sets:
 *   GRADE_TARGET         exercises (default) | solutions | a folder — the code being graded
 *   GRADE_SOLUTIONS_DIR  the reference solutions (default solutions/)
 */
import { existsSync, readdirSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { repoRoot, targetDir } from "@course/lib";
import { GraderBug } from "./failures.ts";
import type { Side } from "./protocol.ts";

/** The folder holding the reference solutions. */
export function solutionsDir(): string {
  const dir = process.env.GRADE_SOLUTIONS_DIR;
  return dir ? resolve(dir) : join(repoRoot(), "solutions");
}

/** The folder holding the code being graded. */
export function gradedDir(): string {
  return targetDir(process.env.GRADE_TARGET || "exercises");
}

/** A path as people should read it: relative to the repository when inside it. */
export function displayPath(file: string): string {
  const rel = relative(repoRoot(), file);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel.split("\\").join("/") : file;
}

/** What is being graded: `exercises`, `solutions` or the target folder's path. */
export function targetName(): string {
  const target = process.env.GRADE_TARGET || "exercises";
  return target === "exercises" || target === "solutions" ? target : displayPath(gradedDir());
}

/**
 * The one `<id>-*.ts` file name of a lesson: from the solutions folder, or, where there is none
 * (a student release grades against recorded expectations), from exercises/.
 */
export function lessonFileName(lessonId: string): string {
  const dirs = [solutionsDir(), join(repoRoot(), "exercises")].filter((d) => existsSync(d));
  const dir = dirs[0];
  if (!dir) throw new GraderBug(`neither ${solutionsDir()} nor exercises/ exists: nothing names the lesson files.`);
  let names: string[];
  try {
    names = readdirSync(dir).filter((f) => f.startsWith(`${lessonId}-`) && f.endsWith(".ts"));
  } catch {
    throw new GraderBug(`the folder ${dir} cannot be read.`);
  }
  if (names.length !== 1) {
    throw new GraderBug(
      `lesson "${lessonId}" has ${names.length} files ${displayPath(dir)}/${lessonId}-*.ts; expected exactly one.`,
    );
  }
  return names[0] as string;
}

/** The reference and the target file of a lesson. */
export function lessonSides(lessonId: string): { reference: Side; target: Side } {
  const name = lessonFileName(lessonId);
  const side = (dir: string): Side => {
    const file = join(dir, name);
    return { file, display: displayPath(file), isExercises: dir === join(repoRoot(), "exercises") };
  };
  return { reference: side(solutionsDir()), target: side(gradedDir()) };
}
