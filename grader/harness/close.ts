/**
 * `expectClose(actual, expected)`: structure first (type, keys, length, shape, dtype), then
 * |a − e| ≤ atol + rtol·|e| element by element, reporting the worst element.
 */
import { isPlainTensor, isTensor, toPlain, type PlainTensor } from "./serialise.ts";

export interface Close {
  /** Relative tolerance; default 1e-5. */
  rtol?: number;
  /** Absolute tolerance; default 1e-6. */
  atol?: number;
  /** Names the value in messages, e.g. "bigramCounts(8 names)". */
  what?: string;
}

/** A value did not match the reference. */
export class MismatchError extends Error {
  override name = "AssertionError";
}

interface Tol {
  rtol: number;
  atol: number;
}

function fmt(x: number | string): string {
  return typeof x === "number" ? String(Number(x.toPrecision(6))) : JSON.stringify(x);
}

function shapeText(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

function kind(x: unknown): string {
  if (x === null) return "null";
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  if (isPlainTensor(x)) return `a tensor of shape ${shapeText(x.shape)}`;
  if (x instanceof Map) return "a Map";
  if (x instanceof Set) return "a Set";
  return typeof x === "object" ? "an object" : `${typeof x} ${fmt(x as number)}`;
}

/** The shape of a rectangular nested array of numbers, or null. */
function numericShape(x: unknown): number[] | null {
  if (typeof x === "number") return [];
  if (!Array.isArray(x)) return null;
  if (x.length === 0) return [0];
  const inner = numericShape(x[0]);
  if (inner === null) return null;
  for (const item of x) {
    const s = numericShape(item);
    if (s === null || s.length !== inner.length || s.some((d, i) => d !== inner[i])) return null;
  }
  return [x.length, ...inner];
}

function unravel(flat: number, shape: readonly number[]): number[] {
  const index: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    const size = shape[d] as number;
    index.unshift(flat % size);
    flat = Math.floor(flat / size);
  }
  return index;
}

function elementsMatch(a: number, e: number, tol: Tol): { ok: boolean; excess: number; limit: number } {
  const limit = tol.atol + tol.rtol * Math.abs(e);
  if (Number.isNaN(a) || Number.isNaN(e)) return { ok: Number.isNaN(a) && Number.isNaN(e), excess: Infinity, limit };
  if (a === e) return { ok: true, excess: 0, limit };
  const diff = Math.abs(a - e);
  return { ok: diff <= limit, excess: diff / (limit || Number.MIN_VALUE), limit };
}

/** Compare flat data of a known shape; returns a message or null. */
function compareData(a: readonly unknown[], e: readonly unknown[], shape: readonly number[], tol: Tol): string | null {
  let worst = -1, worstExcess = -1, bad = 0, worstLimit = 0;
  for (let i = 0; i < e.length; i++) {
    const [x, y] = [a[i], e[i]];
    if (typeof x !== "number" || typeof y !== "number") {
      if (x === y) continue;
      return `element ${shapeText(unravel(i, shape))}: got ${fmt(x as string)}, expected ${fmt(y as string)}`;
    }
    const m = elementsMatch(x, y, tol);
    if (m.ok) continue;
    bad++;
    if (m.excess > worstExcess) [worst, worstExcess, worstLimit] = [i, m.excess, m.limit];
  }
  if (bad === 0) return null;
  const [x, y] = [a[worst] as number, e[worst] as number];
  const diff = Math.abs(x - y);
  const text = `got ${fmt(x)}, expected ${fmt(y)} (|diff| ${fmt(diff)} > tol ${worstLimit.toExponential(1)})`;
  if (shape.length === 0) return text;
  return `worst element ${shapeText(unravel(worst, shape))}: ${text}; ${bad} of ${e.length} elements differ`;
}

type Found = string | null;

function at(path: string, text: Found): Found {
  return text && (path ? `${path}: ${text}` : text);
}

function compareTensors(a: unknown, e: PlainTensor, tol: Tol): Found {
  if (!isPlainTensor(a)) return `is ${kind(a)}, expected a tensor of shape ${shapeText(e.shape)}`;
  if (shapeText(a.shape) !== shapeText(e.shape)) return `shape ${shapeText(a.shape)}, expected ${shapeText(e.shape)}`;
  if (a.dtype !== e.dtype) return `dtype ${a.dtype}, expected ${e.dtype}`;
  return compareData(a.data, e.data, e.shape, tol);
}

function compareArrays(a: unknown, e: unknown[], tol: Tol, path: string): Found {
  if (!Array.isArray(a)) return at(path, `is ${kind(a)}, expected ${kind(e)}`);
  const [sa, se] = [numericShape(a), numericShape(e)];
  if (sa && se) {
    if (shapeText(sa) !== shapeText(se)) return at(path, `shape ${shapeText(sa)}, expected ${shapeText(se)}`);
    return at(path, compareData(a.flat(Infinity), e.flat(Infinity), se, tol));
  }
  if (a.length !== e.length) return at(path, `has length ${a.length}, expected ${e.length}`);
  for (let i = 0; i < e.length; i++) {
    const found = compare(a[i], e[i], tol, `${path}[${i}]`);
    if (found) return found;
  }
  return null;
}

function entries(x: object): [unknown, unknown][] {
  return x instanceof Map ? [...x] : Object.entries(x);
}

function compareObjects(a: unknown, e: object, tol: Tol, path: string): Found {
  const sameKind = e instanceof Map ? a instanceof Map : typeof a === "object" && a !== null && !Array.isArray(a);
  if (!sameKind) return at(path, `is ${kind(a)}, expected ${kind(e)}`);
  const got = new Map(entries(a as object));
  const want = new Map(entries(e));
  for (const [k, v] of want) {
    if (!got.has(k)) return at(path, `has no key ${fmt(String(k))}`);
    const found = compare(got.get(k), v, tol, `${path}.${String(k)}`);
    if (found) return found;
  }
  const extra = [...got.keys()].find((k) => !want.has(k));
  return extra === undefined ? null : at(path, `has an unexpected key ${fmt(String(extra))}`);
}

function compare(a: unknown, e: unknown, tol: Tol, path: string): Found {
  if (isPlainTensor(e)) return at(path, compareTensors(a, e, tol));
  if (Array.isArray(e)) return compareArrays(a, e, tol, path);
  if (e instanceof Set) return compareArrays(a instanceof Set ? [...a].sort() : a, [...e].sort(), tol, path);
  if (typeof e === "number") {
    if (typeof a !== "number") return at(path, `is ${kind(a)}, expected a number`);
    return at(path, compareData([a], [e], [], tol));
  }
  if (typeof e === "object" && e !== null) return compareObjects(a, e, tol, path);
  return Object.is(a, e) ? null : at(path, `got ${kind(a)}, expected ${kind(e)}`);
}

/** Live tensors and typed arrays anywhere inside become plain data. */
function plain(x: unknown): unknown {
  try {
    return toPlain(x);
  } catch {
    return x;
  }
}

/**
 * Assert that `actual` matches `expected`: same structure, tensors of the same shape and dtype,
 * numbers within atol + rtol·|expected| (NaN matches only NaN). Tensors or serialised tensors,
 * numbers, nested arrays and objects are accepted.
 */
export function expectClose(actual: unknown, expected: unknown, options: Close = {}): void {
  const tol = { rtol: options.rtol ?? 1e-5, atol: options.atol ?? 1e-6 };
  const found = compare(plain(actual), plain(expected), tol, "");
  if (found) throw new MismatchError(`${options.what ?? "value"}${found.startsWith(".") || found.startsWith("[") ? "" : ": "}${found}`);
}
