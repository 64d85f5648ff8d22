/** Where things are: the repository root and its top-level folders. */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { CourseError } from "./errors";

const ROOT_PACKAGE = "genai-in-typescript";

function isRoot(dir: string): boolean {
  const pkg = join(dir, "package.json");
  if (!existsSync(pkg)) return false;
  try {
    return (JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name === ROOT_PACKAGE;
  } catch {
    return false;
  }
}

function searchUp(start: string): string | null {
  let dir = resolve(start);
  for (;;) {
    if (isRoot(dir)) return dir;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

let cachedRoot: string | null = null;

/**
 * The course repository's root: `GENAI_ROOT` if set, else the first folder above the current
 * directory (then above this library) whose package.json is the course's.
 */
export function repoRoot(): string {
  if (cachedRoot) return cachedRoot;
  const fromEnv = process.env.GENAI_ROOT;
  const found = fromEnv ? resolve(fromEnv) : (searchUp(process.cwd()) ?? searchUp(__dirname));
  if (!found) {
    throw new CourseError(
      `Could not find the course repository above ${process.cwd()}. ` +
        "Run from inside the cloned repository, or set GENAI_ROOT to its path.",
    );
  }
  cachedRoot = found;
  return found;
}

/** A path inside the repository. */
export function repoPath(...parts: string[]): string {
  return join(repoRoot(), ...parts);
}

/** `path` relative to the repository root when it lies inside it (for messages), else as given. */
export function shownPath(path: string): string {
  try {
    const rel = relative(repoRoot(), path);
    return rel.startsWith("..") ? path : rel;
  } catch {
    return path;
  }
}
