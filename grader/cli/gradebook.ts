/** The class's gradebook (CSV) and the list of failures that look like the grader's fault. */
import type { GradeReport } from "./report.ts";

export interface Graded {
  name: string;
  report: GradeReport | null;
}

function csvCell(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function num(x: number): string {
  return String(Math.round(x * 100) / 100);
}

/** One row per student, one column per exercise (points earned), then total, max and percent. */
export function gradebook(results: Graded[]): string {
  const ids = [...new Set(results.flatMap((r) => r.report?.tests.map((t) => t.id) ?? []))].filter((id) => /^\d\d\./.test(id)).sort();
  const rows = [["student", ...ids, "total", "max", "percent"].map(csvCell).join(",")];
  for (const { name, report } of results) {
    if (!report) {
      rows.push([csvCell(name), ...ids.map(() => ""), "", "", "no report"].join(","));
      continue;
    }
    const earned = (id: string): string => num(report.tests.filter((t) => t.id === id).reduce((s, t) => s + t.points, 0));
    const pct = report.maxScore > 0 ? ((100 * report.score) / report.maxScore).toFixed(1) : "";
    rows.push([csvCell(name), ...ids.map(earned), num(report.score), num(report.maxScore), pct].join(","));
  }
  return `${rows.join("\n")}\n`;
}

/** A failure the student did not cause: a grader bug, a run that failed as a whole, a missing report. */
export function graderFaults(results: Graded[]): string {
  const lines: string[] = [];
  for (const { name, report } of results) {
    if (!report) {
      lines.push(`${name}: no report was written (see ${name}/grade.txt)`);
      continue;
    }
    for (const t of report.tests) {
      if (t.status === "passed") continue;
      if (t.message.startsWith("grader bug:") || t.id === "(grader)" || t.title === "test file") {
        lines.push(`${name}: ${t.id} ${t.title}: ${t.message.split("\n")[0]}`);
      }
    }
  }
  const head = lines.length === 0 ? "No failure looks like the grader's fault." : `${lines.length} failure(s) look like the grader's fault, not the student's:`;
  return `${[head, ...lines].join("\n")}\n`;
}
