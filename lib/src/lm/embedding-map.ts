/**
 * A map of a model's token embeddings: the rows of the embedding table projected onto their two
 * principal components (PCA), drawn as a labelled SVG scatter. Tokens the model treats alike land
 * close together. Plain float64 JavaScript: the tables are small (V × E).
 */
import { CourseError } from "../errors";
import { escapeXml } from "../show/svg";

/** The leading eigenvector of a symmetric matrix by power iteration, from a fixed start. */
function leadingEigenvector(S: readonly Float64Array[]): Float64Array {
  const n = S.length;
  let v = Float64Array.from({ length: n }, (_, i) => 1 + i / n); // deterministic, not orthogonal to the answer in practice
  for (let iter = 0; iter < 500; iter++) {
    const w = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) w[i] = (w[i] as number) + (S[i] as Float64Array)[j]! * (v[j] as number);
    const norm = Math.hypot(...w);
    if (norm === 0) return v.map(() => 0);
    w.forEach((x, i) => (w[i] = x / norm));
    const change = w.reduce((s, x, i) => s + Math.abs(x - (v[i] as number)), 0);
    v = w;
    if (change < 1e-12) break;
  }
  const big = v.reduce((b, x, i) => (Math.abs(x) > Math.abs(v[b] as number) ? i : b), 0);
  return (v[big] as number) < 0 ? v.map((x) => -x) : v; // a fixed sign, so maps are repeatable
}

/**
 * Project rows (points × dims) onto their first two principal components.  [N, E] → [N, 2]
 * Uses the covariance of the centred rows and deflation for the second component.
 */
export function pca2(rows: readonly (readonly number[])[]): [number, number][] {
  const N = rows.length, E = rows[0]?.length ?? 0;
  if (N < 2 || E < 1) throw new CourseError(`pca2() needs at least 2 rows of ≥ 1 numbers, got ${N} × ${E}.`);
  const mean = Array.from({ length: E }, (_, j) => rows.reduce((s, r) => s + (r[j] as number), 0) / N);
  const X = rows.map((r) => r.map((x, j) => x - (mean[j] as number)));
  const S = Array.from({ length: E }, (_, a) =>
    Float64Array.from({ length: E }, (_, b) => X.reduce((s, r) => s + (r[a] as number) * (r[b] as number), 0) / (N - 1)),
  );
  const u = leadingEigenvector(S);
  const lambda = S.reduce((s, row, a) => s + (u[a] as number) * row.reduce((t, x, b) => t + x * (u[b] as number), 0), 0);
  const deflated = S.map((row, a) => row.map((x, b) => x - lambda * (u[a] as number) * (u[b] as number)));
  const w = E > 1 ? leadingEigenvector(deflated) : new Float64Array(1);
  const dot = (r: readonly number[], d: Float64Array) => r.reduce((s, x, j) => s + x * (d[j] as number), 0);
  return X.map((r) => [dot(r, u), dot(r, w)]);
}

export interface EmbeddingMapOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Square side in pixels (default 420). */
  size?: number;
  /** Labels drawn in red, e.g. the vowels. */
  highlight?: readonly string[];
}


/** A labelled scatter plot of 2-D points as a standalone SVG string (no script). */
export function embeddingMapSvg(points: readonly (readonly [number, number])[], labels: readonly string[], options: EmbeddingMapOptions = {}): string {
  if (points.length !== labels.length) throw new CourseError(`embeddingMapSvg() got ${points.length} points but ${labels.length} labels.`);
  const S = options.size ?? 420, M = 36;
  const xs = points.map((p) => p[0]), ys = points.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const sx = (x: number) => M + ((x - x0) / (x1 - x0 || 1)) * (S - 2 * M);
  const sy = (y: number) => S - M - ((y - y0) / (y1 - y0 || 1)) * (S - 2 * M);
  const hot = new Set(options.highlight ?? []);
  const out = [`<rect x="${M / 2}" y="${M / 2}" width="${S - M}" height="${S - M}" fill="none" stroke="#ccc"/>`];
  points.forEach(([x, y], i) => {
    const label = labels[i] as string, colour = hot.has(label) ? "#d62728" : "#1f77b4";
    out.push(`<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="11" fill="${colour}" fill-opacity="0.15"/>`);
    out.push(`<text x="${sx(x).toFixed(1)}" y="${(sy(y) + 5).toFixed(1)}" font-size="15" text-anchor="middle" fill="${colour}">${escapeXml(label)}</text>`);
  });
  if (options.title) out.push(`<text x="${M / 2}" y="13" font-size="13" font-weight="bold">${escapeXml(options.title)}</text>`);
  if (options.xLabel) out.push(`<text x="${S / 2}" y="${S - 4}" font-size="12" text-anchor="middle">${escapeXml(options.xLabel)}</text>`);
  if (options.yLabel) out.push(`<text x="10" y="${S / 2}" font-size="12" text-anchor="middle" transform="rotate(-90 10 ${S / 2})">${escapeXml(options.yLabel)}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${S}" height="${S}" font-family="sans-serif">${out.join("")}</svg>`;
}
