/**
 * The checks scripts/browser-check.ts runs inside the page (nbconvert's classic HTML export of an
 * executed notebook). `pageProblems` is serialised into the browser, so it uses nothing from outside.
 */

export interface PageReport {
  /** Plotly charts (the course's `course-plot-*` divs) and how many drew their SVG. */
  charts: { total: number; drawn: number };
  /** SVG outputs (heat maps, line charts) drawn with a size. */
  svgs: number;
  /** PNG outputs (image grids) decoded by the browser. */
  pngs: number;
  /** Markdown tables among the outputs. */
  tables: number;
  problems: string[];
}

export function pageProblems(): PageReport {
  const problems: string[] = [];
  const sized = (e: Element): boolean => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const plots = Array.from(document.querySelectorAll('div[id^="course-plot-"]'));
  let drawn = 0;
  for (const p of plots) {
    if (p.querySelector("svg.main-svg") && sized(p)) drawn++;
    else problems.push(`plotly chart ${p.id} drew nothing: "${(p.textContent ?? "").trim().slice(0, 80)}"`);
  }
  // An SVG counts when it drew shapes, not just its box (a sanitiser can leave an empty <svg>).
  const svgs = Array.from(document.querySelectorAll(".output_svg svg"))
    .filter((s) => sized(s) && s.querySelector("rect, path, circle, line, polyline, image, text") !== null).length;
  const pngs = Array.from(document.querySelectorAll<HTMLImageElement>(".output_png img")).filter((i) => i.complete && i.naturalWidth > 0).length;
  const tables = Array.from(document.querySelectorAll(".output_markdown table"));
  const numeric = /^[-+−]?(\d[\d,]*)?(\.\d+)?(e[-+]?\d+)?\s*%?$/i;
  for (const table of tables) {
    for (const cell of Array.from(table.querySelectorAll("td"))) { // headers follow their column
      const text = (cell.textContent ?? "").trim();
      const align = getComputedStyle(cell).textAlign;
      if (text && !numeric.test(text) && align !== "left" && align !== "start") {
        problems.push(`table cell "${text.slice(0, 40)}" is aligned ${align}, not left`);
        break;
      }
    }
  }
  for (const err of Array.from(document.querySelectorAll(".output_error, .output_stderr"))) {
    const text = (err.textContent ?? "").trim();
    if (/\b\w*(Error|Exception)\b/.test(text)) problems.push(`an output is an error: ${text.split("\n")[0]?.slice(0, 120)}`);
  }
  return { charts: { total: plots.length, drawn }, svgs, pngs, tables: tables.length, problems };
}
