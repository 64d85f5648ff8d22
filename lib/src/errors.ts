/**
 * Errors written for people. Every error the course raises says what was expected, what was
 * found, and how to fix it — never a bare stack trace.
 */

/** An error whose message is meant to be read by a learner or instructor. */
export class CourseError extends Error {
  override name = "CourseError";
}

/** Thrown by an exercise stub that the learner has not written yet. */
export class NotImplementedError extends Error {
  override name = "NotImplementedError";
  /**
   * @param exercise id such as `01.bigram-counts`
   * @param file the file the learner edits, relative to the repository root
   * @param symbol the function to write
   * @param section the notebook and section that teaches it
   */
  constructor(
    readonly exercise: string,
    readonly file: string,
    readonly symbol: string,
    readonly section: string,
  ) {
    const lessonId = exercise.split(".")[0];
    super(
      `not implemented: exercise ${exercise} (${symbol}) is still a stub.\n` +
        `  Write it in ${file} — ${section} explains it.\n` +
        `  Check it with: npm run grade -- ${lessonId}`,
    );
  }
}

/** Format a shape for messages: `[2, 3]`. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

/**
 * Throw a CourseError unless `actual` matches `expected`; `-1` or `null` in `expected` matches
 * any size. `what` names the value in the message, e.g. "logits".
 */
export function assertShape(
  actual: readonly number[],
  expected: readonly (number | null)[],
  what: string,
): void {
  const ok =
    actual.length === expected.length &&
    expected.every((e, i) => e === null || e === -1 || e === actual[i]);
  if (!ok) {
    const want = `[${expected.map((e) => (e === null || e === -1 ? "?" : String(e))).join(", ")}]`;
    throw new CourseError(
      `${what} has shape ${formatShape(actual)}, expected ${want} (? = any size).`,
    );
  }
}
