/**
 * Small dense linear algebra in float64 JavaScript for the metrics: feature matrices, means,
 * covariances and a symmetric eigendecomposition (cyclic Jacobi). Feature widths here are tens
 * to a few hundred, so plain loops are fast enough and keep the numbers in double precision.
 */
import { CourseError } from "../errors";

/** rows × cols values, row-major: one feature vector per row. */
export interface Matrix {
  data: Float64Array;
  rows: number;
  cols: number;
}

/** A Matrix from nested arrays (tests, small examples). */
export function matrix(rows: readonly (readonly number[])[]): Matrix {
  const cols = rows[0]?.length ?? 0;
  const data = new Float64Array(rows.length * cols);
  rows.forEach((r, i) => {
    if (r.length !== cols) {
      throw new CourseError(`matrix(): row ${i} has ${r.length} values, expected ${cols}.`);
    }
    data.set(r, i * cols);
  });
  return { data, rows: rows.length, cols };
}

/** Column means. [N, D] → D */
export function columnMeans(x: Matrix): Float64Array {
  const mu = new Float64Array(x.cols);
  for (let i = 0; i < x.rows; i++) {
    for (let j = 0; j < x.cols; j++) mu[j]! += x.data[i * x.cols + j]!;
  }
  for (let j = 0; j < x.cols; j++) mu[j]! /= x.rows;
  return mu;
}

/** Unbiased sample covariance (divides by N − 1), as numpy.cov(rowvar=False). [N, D] → [D, D] */
export function covariance(x: Matrix, mu = columnMeans(x)): Matrix {
  const d = x.cols;
  if (x.rows < 2) throw new CourseError(`covariance(): needs at least 2 rows, got ${x.rows}.`);
  const c = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let i = 0; i < x.rows; i++) {
    for (let j = 0; j < d; j++) row[j] = x.data[i * d + j]! - mu[j]!;
    for (let a = 0; a < d; a++) {
      const ra = row[a]!;
      if (ra === 0) continue; // relu features are often exactly 0
      for (let b = a; b < d; b++) c[a * d + b]! += ra * row[b]!;
    }
  }
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      const v = c[a * d + b]! / (x.rows - 1);
      c[a * d + b] = v;
      c[b * d + a] = v;
    }
  }
  return { data: c, rows: d, cols: d };
}

/** a · b for square or rectangular matrices. */
export function matMul(a: Matrix, b: Matrix): Matrix {
  if (a.cols !== b.rows) {
    throw new CourseError(`matMul(): [${a.rows}, ${a.cols}] · [${b.rows}, ${b.cols}] do not chain.`);
  }
  const out = new Float64Array(a.rows * b.cols);
  for (let i = 0; i < a.rows; i++) {
    for (let k = 0; k < a.cols; k++) {
      const v = a.data[i * a.cols + k]!;
      if (v === 0) continue;
      for (let j = 0; j < b.cols; j++) out[i * b.cols + j]! += v * b.data[k * b.cols + j]!;
    }
  }
  return { data: out, rows: a.rows, cols: b.cols };
}

export function trace(a: Matrix): number {
  let t = 0;
  for (let i = 0; i < a.rows; i++) t += a.data[i * a.cols + i]!;
  return t;
}

/**
 * Eigenvalues and eigenvectors of a symmetric matrix by cyclic Jacobi rotations (Golub & Van
 * Loan, §8.5): A = V diag(values) Vᵀ, eigenvector k in column k of V. Sweeps until the
 * off-diagonal mass is below `tol` times the matrix's norm.
 */
export function symmetricEigen(
  a: Matrix, tol = 1e-14, maxSweeps = 100,
): { values: Float64Array; vectors: Matrix } {
  const n = a.rows;
  if (a.cols !== n) {
    throw new CourseError(`symmetricEigen(): matrix is [${a.rows}, ${a.cols}], not square.`);
  }
  const m = Float64Array.from(a.data);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  let norm = 0;
  for (const x of m) norm += x * x;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += m[p * n + q]! ** 2;
    if (off <= tol * tol * norm || off === 0) break;
    for (let p = 0; p < n - 1; p++) for (let q = p + 1; q < n; q++) rotate(m, v, n, p, q);
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = m[i * n + i]!;
  return { values, vectors: { data: v, rows: n, cols: n } };
}

/** One Jacobi rotation that zeroes m[p][q] (and m[q][p]); accumulates it into v. */
function rotate(m: Float64Array, v: Float64Array, n: number, p: number, q: number): void {
  const apq = m[p * n + q]!;
  if (apq === 0) return;
  const theta = (m[q * n + q]! - m[p * n + p]!) / (2 * apq);
  const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
  const c = 1 / Math.sqrt(t * t + 1);
  const s = t * c;
  for (let k = 0; k < n; k++) { // columns p and q: M ← M J
    const mkp = m[k * n + p]!;
    const mkq = m[k * n + q]!;
    m[k * n + p] = c * mkp - s * mkq;
    m[k * n + q] = s * mkp + c * mkq;
  }
  for (let k = 0; k < n; k++) { // rows p and q: M ← Jᵀ M
    const mpk = m[p * n + k]!;
    const mqk = m[q * n + k]!;
    m[p * n + k] = c * mpk - s * mqk;
    m[q * n + k] = s * mpk + c * mqk;
  }
  for (let k = 0; k < n; k++) { // V ← V J
    const vkp = v[k * n + p]!;
    const vkq = v[k * n + q]!;
    v[k * n + p] = c * vkp - s * vkq;
    v[k * n + q] = s * vkp + c * vkq;
  }
}

/** The symmetric PSD square root S (S·S = A); negative eigenvalues (rounding) count as 0. */
export function sqrtmPsd(a: Matrix): Matrix {
  const { values, vectors } = symmetricEigen(a);
  const n = a.rows;
  const out = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const s = Math.sqrt(Math.max(values[k]!, 0));
    if (s === 0) continue;
    for (let i = 0; i < n; i++) {
      const vik = vectors.data[i * n + k]! * s;
      if (vik === 0) continue;
      for (let j = 0; j < n; j++) out[i * n + j]! += vik * vectors.data[j * n + k]!;
    }
  }
  return { data: out, rows: n, cols: n };
}
