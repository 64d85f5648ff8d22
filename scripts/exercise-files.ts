/** Reading solutions/ and comparing exercises/ with what the generator would write. */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { sha256 } from "@course/lib";
import { generateStub } from "./exercise-gen.ts";

/** exercises/.manifest.json: file name → sha256 of the stub as last generated. */
export type Manifest = Record<string, string>;

export type ExerciseStatus = "current" | "missing" | "stale" | "edited";

export { sha256 } from "@course/lib";

/** The notebook that teaches lesson `id` (path from the root), or a generic name. */
export function notebookFor(root: string, id: string): string {
  const dir = join(root, "notebooks");
  const nb = existsSync(dir) ? readdirSync(dir).find((f) => f.startsWith(`${id}-`) && f.endsWith(".ipynb")) : undefined;
  return nb ? `notebooks/${nb}` : `the lesson ${id} notebook`;
}

/** Every stub the generator would write: one per solutions/NN-*.ts. */
export function generateAll(root: string): { name: string; text: string }[] {
  const dir = join(root, "solutions");
  return readdirSync(dir)
    .filter((f) => /^\d\d-.*\.ts$/.test(f))
    .sort()
    .map((name) => ({
      name,
      text: generateStub(readFileSync(join(dir, name), "utf8"), { fileName: name, notebook: notebookFor(root, name.slice(0, 2)) }),
    }));
}

/**
 * current: the file is what the generator writes now. missing: no file. edited: the learner
 * changed it after generation (its hash is not the manifest's). stale: an untouched generated
 * file that solutions/ has since changed.
 */
export function exerciseStatus(dir: string, name: string, generated: string, manifest: Manifest): ExerciseStatus {
  const file = join(dir, name);
  if (!existsSync(file)) return "missing";
  const text = readFileSync(file, "utf8");
  if (text === generated) return "current";
  return manifest[name] === sha256(text) ? "stale" : "edited";
}
