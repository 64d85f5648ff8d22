/**
 * Errors of the engine, written for people as the course's are: what was expected, what was
 * found, how to fix it. (The engine has its own small copy of these helpers, since it imports
 * nothing from the course library.)
 */

/** An error whose message is meant to be read by a learner or instructor. */
export class EngineError extends Error {
  override name = "EngineError";
}

/** Throw an EngineError unless `actual` matches `expected` (−1 or null matches any size). */
export function assertShape(actual: readonly number[], expected: readonly (number | null)[], what: string): void {
  const ok = actual.length === expected.length && expected.every((e, i) => e === null || e === -1 || e === actual[i]);
  if (!ok) {
    const want = `[${expected.map((e) => (e === null || e === -1 ? "?" : String(e))).join(", ")}]`;
    throw new EngineError(`${what} has shape [${actual.join(", ")}], expected ${want} (? = any size).`);
  }
}
