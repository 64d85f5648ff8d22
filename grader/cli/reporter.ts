/**
 * The vitest reporter of a grading run: one progress line per test on stderr, and at the end the
 * raw results (every test with its grade meta and error messages, every file that failed to load)
 * as JSON for the CLI to turn into reports. Each finished test is also appended at once to
 * `<results>.jsonl` (one `{ file, test }` per line), so the results of a run stopped at its
 * deadline are not lost.
 */
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Reporter, SerializedError, TestCase, TestModule } from "vitest/node";
import type { GradeMeta } from "../harness/graded.ts";

export interface RawTest {
  name: string;
  state: "passed" | "failed" | "skipped" | "pending";
  grade: GradeMeta | null;
  errors: string[];
  /** How long the test ran, in ms. */
  ms?: number;
}

export interface RawModule {
  file: string;
  /** Errors outside any test: the file failed to load, a hook failed. */
  errors: string[];
  tests: RawTest[];
}

export interface RawResults {
  modules: RawModule[];
  unhandled: string[];
}

/** The results of a run that did not finish: the tests it finished, by file. */
export function partialResults(lines: string): RawResults {
  const modules = new Map<string, RawModule>();
  for (const line of lines.split("\n")) {
    if (!line.trim()) continue;
    let parsed: { file: string; test: RawTest };
    try {
      parsed = JSON.parse(line) as { file: string; test: RawTest };
    } catch {
      continue;
    }
    const module = modules.get(parsed.file) ?? { file: parsed.file, errors: [], tests: [] };
    module.tests.push(parsed.test);
    modules.set(parsed.file, module);
  }
  return { modules: [...modules.values()], unhandled: [] };
}

const PLAIN_NAMES = new Set(["Error", "AssertionError", "ProbeFailure", "GraderBug", "CourseError"]);

/** An error's message, with its class name unless that adds nothing. */
export function errorMessage(err: Pick<SerializedError, "message" | "name"> & { stack?: string }): string {
  const message = err.message || err.stack || "(no message)";
  return err.name && !PLAIN_NAMES.has(err.name) ? `${err.name}: ${message}` : message;
}

function rawTest(test: TestCase): RawTest {
  const result = test.result();
  return {
    name: test.fullName,
    state: result.state,
    grade: test.meta().grade ?? null,
    errors: (result.errors ?? []).map(errorMessage),
    ms: test.diagnostic()?.duration,
  };
}

function rawModule(module: TestModule): RawModule {
  return {
    file: module.moduleId,
    errors: module.errors().map(errorMessage),
    tests: [...module.children.allTests()].map(rawTest),
  };
}

export class GradeReporter implements Reporter {
  constructor(private readonly resultsFile: string) {}

  onTestCaseResult(test: TestCase): void {
    const state = test.result().state;
    try {
      mkdirSync(dirname(this.resultsFile), { recursive: true });
      appendFileSync(`${this.resultsFile}.jsonl`, `${JSON.stringify({ file: test.module.moduleId, test: rawTest(test) })}\n`);
    } catch {
      // The final results still carry it.
    }
    const mark = state === "passed" ? "✓" : state === "failed" ? "✗" : "-";
    process.stderr.write(`  ${mark} ${test.name}\n`);
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandled: ReadonlyArray<SerializedError>): void {
    const results: RawResults = { modules: modules.map(rawModule), unhandled: unhandled.map(errorMessage) };
    mkdirSync(dirname(this.resultsFile), { recursive: true });
    writeFileSync(this.resultsFile, JSON.stringify(results, null, 2));
  }
}
