/**
 * Recording the references' outputs: the grader grades solutions/ for the chosen lessons (and an
 * instructor's hidden tests) with GRADE_EXPECTED_DIR pointing at a folder, which the harness fills
 * with every probe call's expected value. The references must score 100 %, or nothing is recorded.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Recording {
  score: number;
  maxScore: number;
  seconds: number;
}

/** Grade the references into `expectedDir`; throws unless they score 100 %. */
export async function recordExpected(root: string, expectedDir: string, lessons: string[], hidden: string | null): Promise<Recording> {
  const scratch = mkdtempSync(join(tmpdir(), "record-"));
  const json = join(scratch, "grade-report.json");
  const args = [join(root, "node_modules", "tsx", "dist", "cli.mjs"), join(root, "grader", "grade.ts"), ...lessons, "--target", "solutions", "--json", json];
  if (hidden) args.push("--hidden", hidden);
  const started = Date.now();
  try {
    await new Promise<void>((done, fail) => {
      const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, GRADE_EXPECTED_DIR: expectedDir }, stdio: ["ignore", "ignore", "inherit"] });
      child.on("error", fail);
      child.on("close", () => done());
    });
    const report = JSON.parse(readFileSync(json, "utf8")) as { score: number; maxScore: number; tests: { status: string; id: string; message: string }[] };
    const failed = report.tests.filter((t) => t.status !== "passed");
    if (failed.length > 0 || report.maxScore === 0) {
      throw new Error(`the references do not score 100 % (${report.score}/${report.maxScore}), so their outputs were not recorded:\n${failed.map((t) => `  ${t.id}: ${t.message.split("\n")[0]}`).join("\n")}`);
    }
    return { score: report.score, maxScore: report.maxScore, seconds: (Date.now() - started) / 1000 };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Lesson ids that have a reference solution (`solutions/NN-*.ts`). */
export function lessonIds(names: string[]): string[] {
  return names.filter((f) => /^\d\d-.*\.ts$/.test(f)).map((f) => f.slice(0, 2)).sort();
}
