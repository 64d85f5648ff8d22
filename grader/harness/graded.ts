/** `graded()`: a vitest test that carries an exercise id and its points. */
import { test } from "vitest";
import { probeOwner, stopProbes } from "./probe.ts";

export interface Exercise {
  /** `<lesson>.<name>`, e.g. "01.bigram-counts". */
  id: string;
  /** What each graded test of this exercise is worth. */
  points: number;
  /** Where the learner can read up on it, e.g. the notebook section. */
  hint: string;
}

/** What the grade CLI reads from a graded test (vitest task meta `grade`). */
export interface GradeMeta {
  id: string;
  lesson: string;
  points: number;
  hint: string;
  title: string;
}

declare module "vitest" {
  interface TaskMeta {
    grade?: GradeMeta;
  }
}

const ID = /^(\d{2})\.[A-Za-z0-9][\w-]*$/;

function pointsText(points: number): string {
  return `${points} ${points === 1 ? "pt" : "pts"}`;
}

function check(ex: Exercise): string {
  const lesson = ID.exec(ex.id)?.[1];
  if (!lesson) throw new Error(`graded(): exercise id "${ex.id}" should look like "01.bigram-counts".`);
  if (!(Number.isFinite(ex.points) && ex.points >= 0)) {
    throw new Error(`graded(): exercise ${ex.id} has points ${ex.points}; use a number ≥ 0.`);
  }
  return lesson;
}

/**
 * Register a graded test named `<id> [<points> pts] <title>`, worth `ex.points` when it passes.
 * Per-test time limit: `options.timeoutMs`, default 60 s. Probe processes still running when the
 * test ends (it timed out) are stopped.
 */
export function graded(
  ex: Exercise,
  title: string,
  fn: () => Promise<void> | void,
  options: { timeoutMs?: number } = {},
): void {
  const lesson = check(ex);
  const meta: GradeMeta = { id: ex.id, lesson, points: ex.points, hint: ex.hint, title };
  test(
    `${ex.id} [${pointsText(ex.points)}] ${title}`,
    { timeout: options.timeoutMs ?? 60_000, meta: { grade: meta } },
    async ({ onTestFinished }) => {
      const owner = {};
      onTestFinished(() => stopProbes(owner));
      await probeOwner.run(owner, fn);
    },
  );
}

/**
 * A maker of a lesson's exercises: `const ex = exercisesOf("01", "notebooks/01-bigram.ipynb")`,
 * then `ex("nll", 2, "5. Likelihood")` is exercise `01.nll`, worth 2 points a test, whose hint
 * names that notebook section.
 */
export function exercisesOf(lesson: string, notebook: string): (id: string, points: number, section: string) => Exercise {
  return (id, points, section) => ({ id: `${lesson}.${id}`, points, hint: `${notebook}, section "${section}"` });
}
