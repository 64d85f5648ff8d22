/**
 * Submissions of fixture lesson 98 written the way a student who wants points without the work
 * would write them, in a temporary folder with copies of the fixture's references and tests (so
 * that an attack that got through would damage only the copies), plus hidden tests that hold a
 * secret marker.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { FIXTURES, ROOT } from "./cli.ts";

export const SECRET = "HIDDEN-ORACLE-5e1c0f7a-never-show-this-to-a-student";

export interface CheatWorld {
  root: string;
  solutions: string;
  tests: string;
  /** A tests folder whose manifest names a test file that is gone. */
  testsDeleted: string;
  /** A tests folder with an extra file the manifest does not know. */
  testsExtra: string;
  hidden: string;
  expected: string;
  reports: string;
  /** Files an attack would want to change, for before/after checks. */
  victims: string[];
  submission(name: string): string;
}

const probesUrl = (): string => pathToFileURL(join(FIXTURES, "probes", "98-fixture.ts")).href;

/** The fixture's test file, importing the harness and probes by absolute paths. */
function portableTest(): string {
  return readFileSync(join(FIXTURES, "tests", "98-fixture.test.ts"), "utf8")
    .replace('"../../../harness/index.ts"', '"@course/grader"')
    .replace('new URL("../probes/98-fixture.ts", import.meta.url)', `new URL(${JSON.stringify(probesUrl())})`);
}

function hiddenTest(): string {
  return `// ${SECRET}: the instructor's private check of meanSquare on an unusual input.
import { expectClose, graded, probe } from "@course/grader";

graded({ id: "98.mean-square", points: 3, hint: "hidden test" }, "hidden: eleven draws", async () => {
  const r = await probe<number>("98", ${JSON.stringify(probesUrl())}, "meanSquare", { count: 11 }, { timeoutMs: 5000 });
  expectClose(r.actual, r.expected, { what: "meanSquare (${SECRET})" });
});
`;
}

const EXTRA = `import { graded } from "@course/grader";
graded({ id: "98.affine", points: 100, hint: "" }, "free points for everyone", () => {});
`;

export function makeCheatWorld(): CheatWorld {
  const root = mkdtempSync(join(tmpdir(), "grade-cheats-"));
  const dir = (...parts: string[]): string => {
    const d = join(root, ...parts);
    mkdirSync(d, { recursive: true });
    return d;
  };
  const w = {
    root, solutions: dir("solutions"), tests: dir("tests"), testsDeleted: dir("tests-deleted"), testsExtra: dir("tests-extra"),
    hidden: dir("hidden"), expected: dir("expected"), reports: dir("reports"),
  };
  copyFileSync(join(FIXTURES, "solutions", "98-fixture.ts"), join(w.solutions, "98-fixture.ts"));
  const manifest = readFileSync(join(FIXTURES, "tests", "manifest.json"), "utf8");
  for (const d of [w.tests, w.testsDeleted, w.testsExtra]) writeFileSync(join(d, "manifest.json"), manifest);
  for (const d of [w.tests, w.testsExtra]) writeFileSync(join(d, "98-fixture.test.ts"), portableTest());
  writeFileSync(join(w.testsExtra, "98-extra.test.ts"), EXTRA);
  writeFileSync(join(w.hidden, "98-secret.test.ts"), hiddenTest());
  const victims = [
    join(w.solutions, "98-fixture.ts"), join(w.tests, "98-fixture.test.ts"), join(w.tests, "manifest.json"),
    join(w.hidden, "98-secret.test.ts"), join(ROOT, "grader", "harness", "probe.ts"),
  ];
  return { ...w, victims, submission: (name) => dir("subs", name) };
}

const CORRECT = readFileSync(join(FIXTURES, "solutions", "98-fixture.ts"), "utf8");

/** The attacks, as submission files: name → source. */
export function cheats(w: CheatWorld): Record<string, string> {
  const sol = JSON.stringify(join(w.solutions, "98-fixture.ts"));
  const paths = JSON.stringify([...w.victims, join(w.expected, "98-fixture.json"), join(w.expected, "hidden", "98-secret.json")]);
  const report = JSON.stringify(join(w.reports, "tamper", "grade-report.json"));
  const stub = (name: string): string => `export function ${name}(..._a: unknown[]): never { throw new Error("not implemented: exercise 98.${name}"); }`;
  return {
    "re-export": `export * from ${sol};\n`,
    "re-export-relative": `export * from "../../solutions/98-fixture";\n`,
    "read-everything": `import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
function walk(dir: string, out: string[], budget: { left: number }): void {
  let names: string[] = [];
  try { names = readdirSync(dir); } catch (e) { out.push(String(e)); return; }
  for (const n of names) {
    if (n === "node_modules" || n === ".git" || budget.left <= 0) continue;
    const p = join(dir, n);
    try {
      const s = statSync(p);
      if (s.isDirectory()) walk(p, out, budget);
      else if (s.size < 100000) { const t = readFileSync(p, "utf8"); budget.left -= t.length; out.push(p + "\\n" + t); }
    } catch (e) { out.push(String(e)); }
  }
}
function everything(): string {
  const out: string[] = [];
  for (const f of ${paths}) { try { out.push(readFileSync(f, "utf8")); } catch (e) { out.push(String(e)); } }
  for (const d of [process.env.GENAI_ROOT ?? "/", ${JSON.stringify(w.root)}]) walk(d, out, { left: 3000000 });
  return out.join("\\n");
}
export function affine(): never { throw new Error(everything()); }
export function meanSquare(): number { const t = everything(); if (t.includes('"entries"')) return 0; throw new Error(t); }
export function letterCounts(): Record<string, number> { return JSON.parse(everything()); }
`,
    tamper: `import { appendFileSync, unlinkSync, writeFileSync } from "node:fs";
function attack(): void {
  for (const f of ${paths}) { try { appendFileSync(f, "\\n// tampered\\n"); } catch {} try { unlinkSync(f); } catch {} }
  try { writeFileSync(${report}, JSON.stringify({ score: 7, maxScore: 7, tests: [] })); } catch {}
  try {
    const cp = require("node:child_process");
    cp.spawn("/bin/sh", ["-c", "sleep 3; echo forged > " + ${report}], { detached: true, stdio: "ignore" }).unref();
  } catch {}
  try { new (require("node:worker_threads").Worker)("1", { eval: true }); } catch {}
  setTimeout(() => { try { writeFileSync(${report}, "forged"); } catch {} }, 2500);
}
${stub("affine").replace("never {", "never { attack();")}
${stub("meanSquare").replace("never {", "never { attack();")}
${stub("letterCounts").replace("never {", "never { attack();")}
`,
    kill: `import { readFileSync } from "node:fs";
function parentOf(pid: number): number {
  try { return Number(readFileSync("/proc/" + pid + "/stat", "utf8").split(") ")[1]!.split(" ")[1]); } catch { return 0; }
}
function attack(): void {
  let pid = process.ppid;
  for (let i = 0; i < 3 && pid > 1; i++) { try { process.kill(pid, "SIGKILL"); } catch {} pid = parentOf(pid); }
  try { process.kill(process.ppid, "SIGKILL"); } catch {}
  try { (process as any)._kill(process.ppid, 9); } catch {}
  try { process.kill(0, "SIGKILL"); } catch {}
}
${CORRECT.replace("export function meanSquare(xs: number[]): number {", "export function meanSquare(xs: number[]): number {\n  attack();")}
`,
    hang: `export function affine(): never { for (;;) {} }
export function meanSquare(): never { for (;;) {} }
export function letterCounts(): never { for (;;) {} }
`,
    correct: CORRECT,
  };
}
