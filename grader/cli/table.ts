/** The per-exercise table, the `N passed, N failed` line and the score, for stdout. */
import { counts, type GradeReport, type TestEntry } from "./report.ts";

interface Row {
  id: string;
  points: string;
  status: string;
  details: string[];
}

function num(x: number): string {
  return String(Math.round(x * 100) / 100);
}

function exerciseRow(id: string, tests: TestEntry[]): Row {
  const earned = tests.reduce((s, t) => s + t.points, 0);
  const max = tests.reduce((s, t) => s + t.maxPoints, 0);
  const failed = tests.filter((t) => t.status === "failed");
  const first = failed[0];
  const details = first
    ? [first.message.split("\n")[0] ?? "", ...(first.hint ? [`hint: ${first.hint}`] : [])]
    : [];
  const status = failed.length === 0 ? "passed" : failed.length === tests.length ? "failed" : `failed ${failed.length}/${tests.length}`;
  return { id, points: `${num(earned)}/${num(max)}`, status, details };
}

function rows(report: GradeReport): Row[] {
  const order = [...new Set(report.tests.map((t) => t.id))];
  return order.map((id) => exerciseRow(id, report.tests.filter((t) => t.id === id)));
}

/** The table and summary as lines of text. */
export function formatTable(report: GradeReport): string[] {
  const all = rows(report);
  const head: Row = { id: "Exercise", points: "Points", status: "Status", details: ["Details"] };
  const w = {
    id: Math.max(...[head, ...all].map((r) => r.id.length)),
    points: Math.max(...[head, ...all].map((r) => r.points.length)),
    status: Math.max(...[head, ...all].map((r) => r.status.length)),
  };
  const indent = " ".repeat(w.id + w.points + w.status + 6);
  const line = (r: Row): string[] => {
    const [first = "", ...more] = r.details;
    const main = `${r.id.padEnd(w.id)}  ${r.points.padStart(w.points)}  ${r.status.padEnd(w.status)}  ${first}`;
    return [main.trimEnd(), ...more.map((d) => indent + d)];
  };
  const { passed, failed } = counts(report);
  const pct = report.maxScore > 0 ? ` (${((100 * report.score) / report.maxScore).toFixed(1)} %)` : "";
  return [
    ...line(head),
    ...all.flatMap(line),
    "",
    `${passed} passed, ${failed} failed`,
    `Score: ${num(report.score)}/${num(report.maxScore)} points${pct}`,
  ];
}
