/**
 * `npm run exercises [-- --check] [-- --force ID…]`: write exercises/ from solutions/.
 *
 * Safety: exercises/.manifest.json records the sha256 of every stub as generated. A file whose
 * hash differs from it has been edited by the learner and is never overwritten; `--force ID`
 * replaces it after copying it to exercises/.backup/. `--check` writes nothing and exits 1 when
 * exercises/ is out of date with solutions/ (learner-edited files are reported, not failed, unless
 * `--strict`, which CI uses on the pristine repository).
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { exerciseStatus, generateAll, sha256, type Manifest } from "./exercise-files.ts";
import { syncLessonTypes } from "./exercise-types.ts";

function readManifest(manifestPath: string): Manifest {
  return existsSync(manifestPath) ? (JSON.parse(readFileSync(manifestPath, "utf8")) as Manifest) : {};
}

function backup(exercisesDir: string, name: string): string {
  const dir = join(exercisesDir, ".backup");
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const dest = join(dir, `${name}.${stamp}`);
  copyFileSync(join(exercisesDir, name), dest);
  return dest;
}

/** Sync `root`/exercises with `root`/solutions as the header describes; returns the exit code. */
export function syncExercises(root: string, argv: string[], log: (line: string) => void = console.log): number {
  const exercisesDir = join(root, "exercises");
  const manifestPath = join(exercisesDir, ".manifest.json");
  mkdirSync(exercisesDir, { recursive: true });
  const check = argv.includes("--check"), strict = argv.includes("--strict");
  const forceIdx = argv.indexOf("--force");
  const force = forceIdx >= 0 ? argv.slice(forceIdx + 1).filter((a) => !a.startsWith("--")) : [];
  const manifest = readManifest(manifestPath);
  const generated = generateAll(root);
  let problems = 0;
  for (const { name, text } of generated) {
    const status = exerciseStatus(exercisesDir, name, text, manifest);
    const id = name.slice(0, 2);
    if (check) {
      if (status === "stale" || (strict && status === "edited")) {
        log(`✗ exercises/${name} is ${status === "stale" ? "out of date with" : "different from"} solutions/${name} — run: npm run exercises`);
        problems++;
      } else if (status === "edited") log(`• exercises/${name} has your edits (not checked against solutions/)`);
      else if (status === "missing") { log(`✗ exercises/${name} is missing — run: npm run exercises`); problems++; }
      continue;
    }
    if (status === "edited" && !force.includes(id) && !force.includes(name)) {
      log(`• kept exercises/${name}: you changed it. To replace it with a fresh stub (a backup is kept): npm run exercises -- --force ${id}`);
      continue;
    }
    if (status === "edited") log(`• backed up your exercises/${name} to ${backup(exercisesDir, name).slice(root.length + 1)}`);
    if (status !== "current") {
      writeFileSync(join(exercisesDir, name), text);
      log(`✓ wrote exercises/${name}`);
    }
    manifest[name] = sha256(text);
  }
  const known = new Set(generated.map((g) => g.name));
  for (const f of readdirSync(exercisesDir).filter((f) => f.endsWith(".ts") && !known.has(f))) {
    log(`• exercises/${f} has no solution file; left as it is`);
  }
  if (!check) writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + "\n");
  return problems > 0 ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const argv = process.argv.slice(2);
  const code = syncExercises(root, argv);
  // The types `lesson("NN")` returns in notebooks (lib/src/lessons/), generated from the same solutions.
  const stale = syncLessonTypes(root, argv.includes("--check"), console.log);
  process.exitCode = code || (argv.includes("--check") && stale > 0 ? 1 : 0);
}
