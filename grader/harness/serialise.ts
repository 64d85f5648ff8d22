/**
 * Turning what a probe returns into plain data that can cross to the test process and be compared:
 * tensors become `{ shape, dtype, data }` (and are disposed), typed arrays become arrays, arrays,
 * objects, Maps and Sets keep their structure.
 */

/** A TensorFlow.js tensor, recognised by shape rather than by class (any tfjs instance will do). */
export interface TensorLike {
  readonly shape: number[];
  readonly dtype: string;
  readonly isDisposed: boolean;
  dataSync(): ArrayLike<number | string>;
  dispose(): void;
}

/** A serialised tensor. */
export interface PlainTensor {
  shape: number[];
  dtype: string;
  data: (number | string)[];
}

export function isTensor(value: unknown): value is TensorLike {
  if (typeof value !== "object" || value === null) return false;
  const t = value as Partial<TensorLike>;
  return (
    Array.isArray(t.shape) &&
    typeof t.dtype === "string" &&
    typeof t.dataSync === "function" &&
    typeof t.dispose === "function"
  );
}

/** A `{ shape, dtype, data }` object as `serialise` makes it. */
export function isPlainTensor(value: unknown): value is PlainTensor {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const t = value as Partial<PlainTensor>;
  return (
    Array.isArray(t.shape) &&
    typeof t.dtype === "string" &&
    Array.isArray(t.data) &&
    Object.keys(value).length === 3
  );
}

function isTypedArray(value: unknown): value is ArrayLike<number | bigint> {
  return ArrayBuffer.isView(value) && !(value instanceof DataView);
}

/** Walk a returned value: arrays, plain or class objects, Map values and Set members. */
function children(value: object): unknown[] {
  if (Array.isArray(value)) return value;
  if (value instanceof Map) return [...value.values()];
  if (value instanceof Set) return [...value];
  if (isTypedArray(value)) return [];
  return Object.values(value);
}

/** The live (not disposed) tensors inside a returned value, each counted once. */
export function liveTensors(value: unknown, found = new Set<TensorLike>(), path = new Set<object>()): Set<TensorLike> {
  if (typeof value !== "object" || value === null || path.has(value)) return found;
  if (isTensor(value)) {
    if (!value.isDisposed) found.add(value);
    return found;
  }
  path.add(value);
  for (const child of children(value)) liveTensors(child, found, path);
  path.delete(value);
  return found;
}

/** Why a value cannot be serialised; the message says where inside the value it sits. */
export class SerialiseError extends Error {
  override name = "SerialiseError";
}

class Serialiser {
  private readonly tensors = new Map<TensorLike, PlainTensor>();
  private readonly path = new Set<object>();

  run(value: unknown, where: string): unknown {
    if (value === null || value === undefined) return value;
    switch (typeof value) {
      case "number": case "string": case "boolean": case "bigint": return value;
      case "function": throw new SerialiseError(`${where} is a function`);
      case "symbol": throw new SerialiseError(`${where} is a symbol`);
      default: return this.object(value as object, where);
    }
  }

  /** Dispose every tensor that was serialised. */
  disposeAll(): void {
    for (const t of this.tensors.keys()) if (!t.isDisposed) t.dispose();
  }

  private object(value: object, where: string): unknown {
    if (isTensor(value)) return this.tensor(value, where);
    if (isTypedArray(value)) return Array.from(value as ArrayLike<number>);
    if (value instanceof Date || value instanceof RegExp) return value;
    if (this.path.has(value)) throw new SerialiseError(`${where} contains itself (a cycle)`);
    this.path.add(value);
    try {
      return this.container(value, where);
    } finally {
      this.path.delete(value);
    }
  }

  private container(value: object, where: string): unknown {
    if (Array.isArray(value)) return value.map((v, i) => this.run(v, `${where}[${i}]`));
    if (value instanceof Map) {
      return new Map([...value].map(([k, v]) => [this.run(k, `${where} key`), this.run(v, `${where}.get(${String(k)})`)]));
    }
    if (value instanceof Set) return new Set([...value].map((v) => this.run(v, `${where} member`)));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = this.run(v, `${where}.${k}`);
    return out;
  }

  private tensor(t: TensorLike, where: string): PlainTensor {
    const done = this.tensors.get(t);
    if (done) return done;
    if (t.isDisposed) throw new SerialiseError(`${where} is a tensor that was already disposed`);
    const plain: PlainTensor = { shape: [...t.shape], dtype: t.dtype, data: Array.from(t.dataSync()) };
    this.tensors.set(t, plain);
    return plain;
  }
}

/**
 * Plain data for `value`; tensors in it are disposed afterwards. Throws a SerialiseError for
 * functions, symbols, cycles and disposed tensors.
 */
export function serialise(value: unknown, where = "the result"): unknown {
  const s = new Serialiser();
  try {
    return s.run(value, where);
  } finally {
    s.disposeAll();
  }
}

/** Plain data for `value` without disposing anything (for tensors a test holds itself). */
export function toPlain(value: unknown): unknown {
  return new Serialiser().run(value, "the value");
}
