/** Messages for what went wrong inside the probe process, written for the learner. */
import { dirname, join, relative } from "node:path";
import type { Side } from "./protocol.ts";
import { thrownBy } from "./module-proxy.ts";

/**
 * How the side's file can appear in a source-mapped stack: its path, or (source maps written with
 * paths relative to the working directory) that relative path resolved against the file's folder.
 */
function framePaths(side: Side): string[] {
  return [side.file, join(dirname(side.file), relative(process.cwd(), side.file))];
}

/** A stack frame inside the side's file, as `exercises/01-bigram.ts:12:9`. */
function learnerFrame(err: unknown, side: Side): string | null {
  const stack = err instanceof Error ? (err.stack ?? "") : "";
  const paths = framePaths(side);
  for (const line of stack.split("\n").slice(1)) {
    const match = line.match(/\(?([^()\s]+):(\d+):(\d+)\)?$/);
    if (match && paths.includes(match[1] as string)) return `${side.display}:${match[2]}:${match[3]}`;
  }
  return null;
}

function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  return err.name && err.name !== "Error" ? `${err.name}: ${err.message}` : err.message;
}

function withFrame(text: string, err: unknown, side: Side): string {
  const frame = learnerFrame(err, side);
  return frame ? `${text}\n  at ${frame}` : text;
}

/** Errors whose own message is already what the learner should read. */
function ownMessage(err: unknown): string | null {
  if (!(err instanceof Error)) return null;
  if (["NotImplementedError", "MissingExportError", "DelegationError"].includes(err.name)) return err.message;
  return null;
}

/** An error thrown while running a probe on `side`. */
export function describeThrow(err: unknown, probeName: string, side: Side): string {
  const own = ownMessage(err);
  if (own) return own;
  const who = thrownBy(err) ?? `probe "${probeName}" on ${side.display}`;
  if (err instanceof Error && err.name === "ProcessExitError") {
    const code = (err as Error & { code?: number }).code ?? 0;
    return withFrame(
      `${who} called process.exit(${code}); remove it — return a value or throw an error instead.`,
      err,
      side,
    );
  }
  return withFrame(`${who} threw: ${errorText(err)}`, err, side);
}

/** An error thrown while loading `side`'s file (compile errors, top-level code). */
export function describeLoadError(err: unknown, side: Side): string {
  if (err instanceof Error && err.name === "CourseError") return err.message;
  if (err instanceof Error && err.name === "ProcessExitError") {
    const code = (err as Error & { code?: number }).code ?? 0;
    return withFrame(`${side.display} called process.exit(${code}) while loading; remove it.`, err, side);
  }
  return withFrame(`${side.display} threw while loading: ${errorText(err)}`, err, side);
}

/** The side's file does not exist. */
export function describeMissingFile(side: Side): string {
  const fix = side.isExercises
    ? "Recreate the exercise stubs with: npm run exercises"
    : "Check the target folder: it needs a file with this exact name.";
  return `${side.display} is missing. ${fix}`;
}
