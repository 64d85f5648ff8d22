/**
 * `npm run autograder -- --out autograder.zip [--lessons 00,01] [--hidden DIR]`: Gradescope's
 * autograder package. Its root is a student release of the lessons (no solutions; the references'
 * outputs recorded, hidden tests' included) plus setup.sh and run_autograder; Gradescope unpacks
 * it into /autograder/source. Hidden tests are shown to students `after_published`
 * (GRADE_HIDDEN_VISIBILITY changes it at grading time).
 */
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { buildRelease } from "../../scripts/release.ts";
import { lessonIds } from "../../scripts/release/record.ts";
import { runScript, setupScript } from "./scripts.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface AutograderOptions {
  out: string;
  lessons: string[];
  hidden: string | null;
}

/** Write the package's tree into `tree` (empty or absent); returns it. */
export async function buildAutograderTree(tree: string, o: Omit<AutograderOptions, "out">): Promise<string> {
  await buildRelease(tree, o.lessons, { hidden: o.hidden });
  if (o.hidden) cpSync(o.hidden, join(tree, "hidden"), { recursive: true });
  writeFileSync(join(tree, "setup.sh"), setupScript(process.versions.node));
  writeFileSync(join(tree, "run_autograder"), runScript(o.lessons, o.hidden !== null));
  for (const f of ["setup.sh", "run_autograder"]) chmodSync(join(tree, f), 0o755);
  return tree;
}

export async function buildAutograder(o: AutograderOptions): Promise<void> {
  const tree = join(mkdtempSync(join(tmpdir(), "autograder-")), "source");
  try {
    await buildAutograderTree(tree, o);
    if (existsSync(o.out)) rmSync(o.out);
    // The files at the zip's root, not a folder holding them (Gradescope looks for setup.sh there).
    const zip = spawnSync("zip", ["-q", "-r", "-X", o.out, "."], { cwd: tree, stdio: "inherit" });
    if (zip.status !== 0) throw new Error(`zip failed (exit code ${zip.status}); is zip installed (apt install zip)?`);
  } finally {
    rmSync(join(tree, ".."), { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: "string" }, lessons: { type: "string" }, hidden: { type: "string" } } });
  const base = process.env.INIT_CWD ?? process.cwd();
  if (!values.out) throw new Error("Usage: npm run autograder -- --out autograder.zip [--lessons 00,01] [--hidden DIR]");
  const all = lessonIds(readdirSync(join(ROOT, "solutions")));
  const lessons = values.lessons ? values.lessons.split(",").map((s) => s.trim()) : all;
  const out = resolve(base, values.out);
  await buildAutograder({ out, lessons, hidden: values.hidden ? resolve(base, values.hidden) : null });
  console.log(`Wrote ${out}: upload it as the assignment's autograder (lessons ${lessons.join(", ")}${values.hidden ? ", with hidden tests" : ""}).`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(`autograder: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  });
}
