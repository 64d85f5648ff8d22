/**
 * A line chart as a standalone SVG string (loss curves, sweeps). No script, so it renders in
 * JupyterLab, classic Notebook and on GitHub: `tslab.display.svg(lineChartSvg(...))`.
 */
import { CourseError } from "../errors";

export interface Series {
  name: string;
  /** y values; x is the index unless `x` is given. */
  y: readonly number[];
  x?: readonly number[];
}

export interface LineChartOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  width?: number;
  height?: number;
  /** Plot y on a log scale (all values must be > 0). */
  logY?: boolean;
}

const COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"];

function ticks(lo: number, hi: number, n = 5): number[] {
  if (hi === lo) return [lo];
  return Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}

function label(v: number): string {
  const a = Math.abs(v);
  return a !== 0 && (a < 0.01 || a >= 1e5) ? v.toExponential(1) : Number(v.toPrecision(3)).toString();
}

/** An SVG line chart of one or more series. */
export function lineChartSvg(series: readonly Series[], options: LineChartOptions = {}): string {
  const pts = series.map((s) => s.y.map((y, i) => [s.x?.[i] ?? i, options.logY ? Math.log10(y) : y] as const));
  const all = pts.flat().filter(([, y]) => Number.isFinite(y));
  if (all.length === 0) throw new CourseError("lineChartSvg() got no finite values to plot.");
  const W = options.width ?? 560, H = options.height ?? 300, L = 60, R = 130, T = 30, B = 40;
  const xs = all.map((p) => p[0]), ys = all.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const sx = (x: number) => L + ((x - x0) / (x1 - x0 || 1)) * (W - L - R);
  const sy = (y: number) => H - B - ((y - y0) / (y1 - y0 || 1)) * (H - T - B);
  const out: string[] = [`<rect x="${L}" y="${T}" width="${W - L - R}" height="${H - T - B}" fill="none" stroke="#ccc"/>`];
  for (const t of ticks(y0, y1)) {
    out.push(`<text x="${L - 6}" y="${sy(t) + 4}" font-size="11" text-anchor="end">${label(options.logY ? 10 ** t : t)}</text>`);
  }
  for (const t of ticks(x0, x1)) {
    out.push(`<text x="${sx(t)}" y="${H - B + 16}" font-size="11" text-anchor="middle">${label(t)}</text>`);
  }
  pts.forEach((p, k) => {
    const colour = COLOURS[k % COLOURS.length];
    const d = p.filter(([, y]) => Number.isFinite(y)).map(([x, y], i) => `${i ? "L" : "M"}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`);
    out.push(`<path d="${d.join("")}" fill="none" stroke="${colour}" stroke-width="1.8"/>`);
    out.push(`<text x="${W - R + 8}" y="${T + 14 + 16 * k}" font-size="12" fill="${colour}">${series[k]?.name ?? ""}</text>`);
  });
  if (options.title) out.push(`<text x="${L}" y="18" font-size="13" font-weight="bold">${options.title}</text>`);
  if (options.xLabel) out.push(`<text x="${(L + W - R) / 2}" y="${H - 6}" font-size="12" text-anchor="middle">${options.xLabel}</text>`);
  if (options.yLabel) out.push(`<text x="14" y="${(T + H - B) / 2}" font-size="12" text-anchor="middle" transform="rotate(-90 14 ${(T + H - B) / 2})">${options.yLabel}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif">${out.join("")}</svg>`;
}

/** Mean of the last `k` values at each index (a noisy minibatch loss, smoothed for a chart). */
export function movingAverage(ys: readonly number[], k: number): number[] {
  if (!(Number.isInteger(k) && k >= 1)) throw new CourseError(`movingAverage(): k must be an integer ≥ 1, got ${k}.`);
  let sum = 0;
  return ys.map((y, i) => {
    sum += y - (i >= k ? ys[i - k]! : 0);
    return sum / Math.min(i + 1, k);
  });
}
