/**
 * Lesson grading (`npm run grade`, or `npx vitest run --config grader/vitest.config.ts`).
 * Test files: grader/tests/<id>-*.test.ts, or the folders in GRADE_TESTS_DIR / GRADE_HIDDEN_DIR,
 * narrowed by GRADE_IDS (see grader/cli/files.ts). Hidden tests import the harness as
 * "@course/grader". With GRADE_RESULTS_FILE set (the CLI does), results go to that file.
 */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { selectionFromEnv, testFiles } from "./cli/files.ts";
import { GradeReporter } from "./cli/reporter.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const results = process.env.GRADE_RESULTS_FILE;

export default defineConfig({
  root,
  resolve: {
    alias: { "@course/grader": fileURLToPath(new URL("./harness/index.ts", import.meta.url)) },
  },
  test: {
    include: testFiles(selectionFromEnv(root)),
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // One test process runs every lesson file, so each side's probe process serves them all
    // (grader/harness/host.ts); starting processes was most of a submission's time.
    isolate: false,
    env: { GENAI_WASM_THREADS: process.env.GENAI_WASM_THREADS ?? "1" },
    reporters: results ? [new GradeReporter(results)] : ["default"],
  },
});
