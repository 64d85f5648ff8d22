/**
 * Seeded, named parameters for models written with plain TensorFlow.js ops. Every layer takes a
 * `Params` and a name; the store keeps the variables in creation order with dotted names
 * ("enc.conv1.w"), which is what the optimiser trains and what a checkpoint saves and loads.
 */
import { CourseError } from "../errors";
import type { Rng } from "../random";
import { tf } from "../tf";

/** A parameter and its dotted name. */
export interface NamedVariable {
  name: string;
  variable: tf.Variable;
}

interface Store {
  entries: NamedVariable[];
  names: Set<string>;
}

export class Params {
  private readonly store: Store;

  /** A new, empty store drawing initial values from `rng`. */
  constructor(readonly rng: Rng, private readonly prefix = "", store?: Store) {
    this.store = store ?? { entries: [], names: new Set() };
  }

  /** A view that prefixes names with `name.` and adds to the same store. */
  scope(name: string): Params {
    return new Params(this.rng, this.full(name), this.store);
  }

  /** Values U(−bound, bound): PyTorch's default for conv and dense layers is bound = 1/√fanIn. */
  uniform<R extends tf.Rank = tf.Rank>(name: string, shape: number[], bound: number): tf.Variable<R> {
    const values = Float32Array.from({ length: sizeOf(shape) }, () => (2 * this.rng.uniform() - 1) * bound);
    return this.add(name, tf.tensor(values, shape));
  }

  /** Values N(0, std²), drawn in row-major order. */
  normal<R extends tf.Rank = tf.Rank>(name: string, shape: number[], std: number): tf.Variable<R> {
    const values = Float32Array.from({ length: sizeOf(shape) }, () => std * this.rng.normal());
    return this.add(name, tf.tensor(values, shape));
  }

  /** Every value equal to `value` (e.g. 1 for a norm's scale, 0 for its shift). */
  fill<R extends tf.Rank = tf.Rank>(name: string, shape: number[], value: number): tf.Variable<R> {
    return this.add(name, tf.fill(shape, value));
  }

  /** Given starting values, no draws (e.g. an LSTM's gate biases with the forget gate's at 1). */
  values<R extends tf.Rank = tf.Rank>(name: string, shape: number[], values: Float32Array): tf.Variable<R> {
    if (values.length !== sizeOf(shape)) {
      throw new CourseError(`Params.values(): "${this.full(name)}" has shape [${shape}], got ${values.length} values.`);
    }
    return this.add(name, tf.tensor(values, shape));
  }

  /** The variables in creation order (what an optimiser's `minimize` takes). */
  get vars(): tf.Variable[] {
    return this.store.entries.map((e) => e.variable);
  }

  /** Names and variables in creation order. */
  get named(): readonly NamedVariable[] {
    return this.store.entries;
  }

  /** Number of scalar parameters. */
  count(): number {
    return this.store.entries.reduce((n, e) => n + e.variable.size, 0);
  }

  /**
   * Overwrite every parameter with the values of the same name (a checkpoint's). Throws, naming
   * the parameter, when one is missing, extra or of the wrong size.
   */
  assign(values: ReadonlyMap<string, Float32Array>): void {
    for (const { name, variable } of this.store.entries) {
      const v = values.get(name);
      if (!v) throw new CourseError(`Params.assign(): no values for parameter "${name}".`);
      if (v.length !== variable.size) {
        throw new CourseError(
          `Params.assign(): parameter "${name}" has shape [${variable.shape}] (${variable.size} values), got ${v.length}.`,
        );
      }
    }
    const extra = [...values.keys()].filter((k) => !this.store.names.has(k));
    if (extra.length) {
      throw new CourseError(`Params.assign(): values for unknown parameters ${extra.slice(0, 5).join(", ")}.`);
    }
    for (const { name, variable } of this.store.entries) {
      tf.tidy(() => variable.assign(tf.tensor(values.get(name)!, variable.shape)));
    }
  }

  /**
   * Copy every parameter's value from `other`, a store of the same names and shapes (an EMA twin
   * starting where its model starts). No values are read back, so this works on every backend.
   */
  copyFrom(other: Params): void {
    const source = new Map(other.named.map((e) => [e.name, e.variable]));
    for (const { name, variable } of this.store.entries) {
      const v = source.get(name);
      if (!v || v.size !== variable.size) {
        throw new CourseError(`Params.copyFrom(): the other store has ${v ? `shape [${v.shape}]` : "no parameter"} for "${name}" [${variable.shape}].`);
      }
      variable.assign(v);
    }
  }

  dispose(): void {
    for (const e of this.store.entries) e.variable.dispose();
    this.store.entries.length = 0;
    this.store.names.clear();
  }

  private full(name: string): string {
    if (!/^[A-Za-z0-9_]+$/.test(name)) {
      throw new CourseError(`Parameter names are letters, digits and _, got "${name}".`);
    }
    return this.prefix ? `${this.prefix}.${name}` : name;
  }

  private add<R extends tf.Rank>(name: string, init: tf.Tensor): tf.Variable<R> {
    const full = this.full(name);
    if (this.store.names.has(full)) {
      init.dispose();
      throw new CourseError(`Parameter "${full}" is defined twice; give each layer its own name.`);
    }
    const variable = tf.variable(init, true);
    init.dispose();
    this.store.entries.push({ name: full, variable });
    this.store.names.add(full);
    return variable as tf.Variable<R>;
  }
}

function sizeOf(shape: readonly number[]): number {
  for (const d of shape) {
    if (!(Number.isInteger(d) && d >= 1)) throw new CourseError(`A parameter shape needs integers ≥ 1, got [${shape}].`);
  }
  return shape.reduce((a, b) => a * b, 1);
}
