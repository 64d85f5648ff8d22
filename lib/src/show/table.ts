/** Markdown tables for notebook output: `tslab.display.markdown(markdownTable(rows))`. */

/** A Markdown table from rows of objects; columns in the order of the first row's keys. */
export function markdownTable(rows: readonly Record<string, string | number>[]): string {
  if (rows.length === 0) return "";
  const cols = Object.keys(rows[0] as object);
  const cell = (v: string | number | undefined) =>
    typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toPrecision(4)) : String(v ?? "");
  return [
    `| ${cols.join(" | ")} |`,
    `|${cols.map(() => "---").join("|")}|`,
    ...rows.map((r) => `| ${cols.map((c) => cell(r[c])).join(" | ")} |`),
  ].join("\n");
}
