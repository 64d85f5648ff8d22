/** The two ways a probe fails: the learner's code failed, or the grader itself is broken. */

/** The graded code failed; the message is for the learner. */
export class ProbeFailure extends Error {
  override name = "ProbeFailure";
  constructor(message: string) {
    super(message);
    this.stack = `${this.name}: ${message}`;
  }
}

/** The reference, a probe or the grader's setup failed: not the learner's fault. */
export class GraderBug extends Error {
  override name = "GraderBug";
  constructor(message: string) {
    const text = message.startsWith("grader bug:") ? message : `grader bug: ${message}`;
    super(`${text}\n  The graded code is not at fault; please report this to the course maintainers.`);
  }
}

/** `30 s`, `2.5 s`, `0.5 s`. */
export function seconds(ms: number): string {
  return `${Number((ms / 1000).toPrecision(3))} s`;
}
