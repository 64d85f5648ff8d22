/**
 * Files the engine builds once and keeps (esbuild bundles, minified scripts): in
 * node_modules/.cache/course-engine when it is writable, else in the temp folder.
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** Where a cached file called `name` may live, first choice first. */
export function cacheFiles(nodeModules: string, name: string): string[] {
  return [join(nodeModules, ".cache", "course-engine", name), join(tmpdir(), "course-engine", name)];
}

/** Write atomically (tests run in parallel workers); false if the folder is not writable. */
export function tryWrite(file: string, text: string): boolean {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, text);
    renameSync(partial, file);
    return true;
  } catch {
    return false;
  }
}
