import { defineConfig } from "vitest/config";

// The project's own test suite (`npm test`). Lesson grading has its own config: grader/vitest.config.ts.
export default defineConfig({
  test: {
    include: ["lib/test/**/*.test.ts", "engine/test/**/*.test.ts", "scripts/test/**/*.test.ts", "grader/selftest/**/*.test.ts"],
    exclude: ["grader/selftest/fixtures/**", "**/node_modules/**"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Many short processes: one wasm thread each, which spares them the pool's ~0.6 s start.
    env: { GENAI_WASM_THREADS: process.env.GENAI_WASM_THREADS ?? "1" },
    globalSetup: ["scripts/test/build-lib.ts"],
  },
});
