import { defineConfig } from "vitest/config";

// The project's own test suite (`npm test`). Lesson grading has its own config: grader/vitest.config.ts.
export default defineConfig({
  test: {
    include: ["lib/test/**/*.test.ts", "scripts/test/**/*.test.ts", "grader/selftest/**/*.test.ts"],
    exclude: ["grader/selftest/fixtures/**", "**/node_modules/**"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    globalSetup: ["scripts/test/build-lib.ts"],
  },
});
