/**
 * Fixtures that must not live in the repository: a submission with a syntax error (it would break
 * the type check), an empty target folder, a correct submission outside the repository, and an
 * instructor's hidden tests outside it (one good, one that fails to load).
 */
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { FIXTURES } from "./cli.ts";

export interface TempFixtures {
  root: string;
  syntaxError: string;
  empty: string;
  outside: string;
  hidden: string;
}

const SYNTAX_ERROR = `export function affine(x: number[][]): number {
  return x.length +;
}
`;

function hiddenTest(): string {
  const probes = pathToFileURL(join(FIXTURES, "probes", "98-fixture.ts")).href;
  return `import { expect } from "vitest";
import { expectClose, graded, probe } from "@course/grader";

graded({ id: "98.mean-square", points: 3, hint: "hidden test" }, "hidden: seven draws", async () => {
  const r = await probe<number>("98", ${JSON.stringify(probes)}, "meanSquare", { count: 7 });
  expectClose(r.actual, r.expected);
  expect(r.actual).toBeGreaterThan(0);
});
`;
}

const BROKEN_TEST = `import { graded } from "@course/grader";

throw new Error("this hidden test file is broken");
graded({ id: "98.never", points: 1, hint: "" }, "never registered", () => {});
`;

export function makeTempFixtures(): TempFixtures {
  const root = mkdtempSync(join(tmpdir(), "grade-selftest-"));
  const dir = (name: string): string => {
    const d = join(root, name);
    mkdirSync(d, { recursive: true });
    return d;
  };
  const t: TempFixtures = {
    root, syntaxError: dir("syntax-error"), empty: dir("empty"), outside: dir("outside"), hidden: dir("hidden"),
  };
  writeFileSync(join(t.syntaxError, "98-fixture.ts"), SYNTAX_ERROR);
  copyFileSync(join(FIXTURES, "submissions", "correct", "98-fixture.ts"), join(t.outside, "98-fixture.ts"));
  writeFileSync(join(t.hidden, "98-hidden.test.ts"), hiddenTest());
  writeFileSync(join(t.hidden, "98-broken.test.ts"), BROKEN_TEST);
  dir("reports");
  return t;
}
