/**
 * The per-exercise table (with each exercise's passed/total tests), the exercises line, the
 * `N passed, N failed` line (graded tests, the unit of the table's Tests column) and the score.
 */
import { counts, type GradeReport, type TestEntry } from "./report.ts";

interface Row {
  id: string;
  tests: string;
  points: string;
  status: string;
  details: string[];
}

function num(x: number): string {
  return String(Math.round(x * 100) / 100);
}

/** The learner's file:line a message points at (`at exercises/01-bigram.ts:12:9`), if any. */
function where(message: string): string[] {
  const at = message.split("\n").slice(1).find((l) => /^\s*at \S+:\d+:\d+\s*$/.test(l));
  return at ? [at.trim()] : [];
}

function exerciseRow(id: string, tests: TestEntry[]): Row {
  const earned = tests.reduce((s, t) => s + t.points, 0);
  const max = tests.reduce((s, t) => s + t.maxPoints, 0);
  const failed = tests.filter((t) => t.status === "failed");
  const first = failed[0];
  const details = first
    ? [first.message.split("\n")[0] ?? "", ...where(first.message), ...(first.hint ? [`hint: ${first.hint}`] : [])]
    : [];
  const status = failed.length === 0 ? "passed" : "failed";
  return { id, tests: `${tests.length - failed.length}/${tests.length}`, points: `${num(earned)}/${num(max)}`, status, details };
}

function rows(report: GradeReport): Row[] {
  const order = [...new Set(report.tests.map((t) => t.id))];
  return order.map((id) => exerciseRow(id, report.tests.filter((t) => t.id === id)));
}

/** The table and summary as lines of text. */
export function formatTable(report: GradeReport): string[] {
  const all = rows(report);
  const head: Row = { id: "Exercise", tests: "Tests", points: "Points", status: "Status", details: ["Details"] };
  const w = {
    id: Math.max(...[head, ...all].map((r) => r.id.length)),
    tests: Math.max(...[head, ...all].map((r) => r.tests.length)),
    points: Math.max(...[head, ...all].map((r) => r.points.length)),
    status: Math.max(...[head, ...all].map((r) => r.status.length)),
  };
  const indent = " ".repeat(w.id + w.tests + w.points + w.status + 8);
  const line = (r: Row): string[] => {
    const [first = "", ...more] = r.details;
    const main = `${r.id.padEnd(w.id)}  ${r.tests.padStart(w.tests)}  ${r.points.padStart(w.points)}  ${r.status.padEnd(w.status)}  ${first}`;
    return [main.trimEnd(), ...more.map((d) => indent + d)];
  };
  const { passed, failed } = counts(report);
  const pct = report.maxScore > 0 ? ` (${((100 * report.score) / report.maxScore).toFixed(1)} %)` : "";
  return [
    ...line(head),
    ...all.flatMap(line),
    "",
    `Exercises: ${all.filter((r) => r.status === "passed").length} of ${all.length} passed. Graded tests (the Tests column):`,
    `${passed} passed, ${failed} failed`,
    `Score: ${num(report.score)}/${num(report.maxScore)} points${pct}`,
  ];
}
