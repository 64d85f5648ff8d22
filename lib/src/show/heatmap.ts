/**
 * A heat map as a standalone SVG string: renders in JupyterLab, classic Notebook and on GitHub
 * without any script. Display it in a notebook with `tslab.display.svg(heatmapSvg(...))`.
 */
import { CourseError } from "../errors";
import { escapeXml } from "./svg";

export interface HeatmapOptions {
  /** Labels of the rows (left) and columns (top); default none. */
  rowLabels?: readonly string[];
  colLabels?: readonly string[];
  /** Side of one cell in pixels (default 22). */
  cell?: number;
  /** Write each cell's value inside it (default: when the matrix has ≤ 30 columns). */
  annotate?: boolean;
  /** Title above the map. */
  title?: string;
}

function colour(t: number): string {
  // White → deep blue; t in [0, 1].
  const r = Math.round(255 - 222 * t), g = Math.round(255 - 155 * t), b = Math.round(255 - 75 * t);
  return `rgb(${r},${g},${b})`;
}

function compact(v: number): string {
  if (Number.isInteger(v)) return v >= 1000 ? `${(v / 1000).toFixed(1)}k` : String(v);
  return v.toFixed(2);
}

/** An SVG heat map of a 2-D array (rows × columns). */
export function heatmapSvg(matrix: readonly (readonly number[])[], options: HeatmapOptions = {}): string {
  const rows = matrix.length, cols = matrix[0]?.length ?? 0;
  if (rows === 0 || cols === 0 || matrix.some((r) => r.length !== cols)) {
    throw new CourseError("heatmapSvg() needs a non-empty rectangular 2-D array.");
  }
  const cell = options.cell ?? 22;
  const annotate = options.annotate ?? cols <= 30;
  const pad = 18, top = pad + (options.title ? 20 : 0);
  let max = 0;
  for (const r of matrix) for (const v of r) if (v > max) max = v;
  const parts: string[] = [];
  if (options.title) {
    parts.push(`<text x="${pad}" y="16" font-size="13" font-weight="bold">${escapeXml(options.title)}</text>`);
  }
  options.colLabels?.forEach((l, j) =>
    parts.push(`<text x="${pad + j * cell + cell / 2}" y="${top - 4}" font-size="11" text-anchor="middle">${escapeXml(l)}</text>`),
  );
  options.rowLabels?.forEach((l, i) =>
    parts.push(`<text x="${pad - 4}" y="${top + i * cell + cell * 0.65}" font-size="11" text-anchor="end">${escapeXml(l)}</text>`),
  );
  matrix.forEach((row, i) =>
    row.forEach((v, j) => {
      const t = max > 0 ? v / max : 0;
      const x = pad + j * cell, y = top + i * cell;
      parts.push(`<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${colour(t)}"><title>${escapeXml(`${options.rowLabels?.[i] ?? i}${options.colLabels?.[j] ?? j}: ${v}`)}</title></rect>`);
      if (annotate) {
        const fill = t > 0.5 ? "white" : "#333";
        parts.push(`<text x="${x + cell / 2}" y="${y + cell * 0.62}" font-size="${Math.max(6, cell / 3.2)}" text-anchor="middle" fill="${fill}">${compact(v)}</text>`);
      }
    }),
  );
  const width = pad * 2 + cols * cell, height = top + rows * cell + pad;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">${parts.join("")}</svg>`;
}
