/** Markdown tables for notebook output: `tslab.display.markdown(markdownTable(rows))`. */

/**
 * A number for people: integers as they are, others to 4 significant digits without trailing
 * zeros (0.01, not 0.01000; 2.442; 104.6), large ones rounded (12346).
 */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v) || Number.isInteger(v)) return String(v);
  if (Math.abs(v) >= 1e4) return String(Math.round(v));
  return String(Number(v.toPrecision(4)));
}

/**
 * A Markdown table from rows of objects; columns in the order of the first row's keys. Columns
 * of numbers are right-aligned, all others left-aligned (the alignment row says so explicitly:
 * the classic Notebook right-aligns every cell otherwise, which makes names hard to read).
 */
export function markdownTable(rows: readonly Record<string, string | number>[]): string {
  if (rows.length === 0) return "";
  const cols = Object.keys(rows[0] as object);
  const cell = (v: string | number | undefined): string => (typeof v === "number" ? formatNumber(v) : String(v ?? ""));
  const numeric = (c: string): boolean => rows.every((r) => typeof r[c] === "number");
  return [
    `| ${cols.join(" | ")} |`,
    `|${cols.map((c) => (numeric(c) ? "---:" : ":---")).join("|")}|`,
    ...rows.map((r) => `| ${cols.map((c) => cell(r[c])).join(" | ")} |`),
  ].join("\n");
}
