/**
 * Seeded randomness. Every shuffle, initialiser and sampler in the course takes an `Rng` (or uses
 * the one `setup({ seed })` installs), so a run is repeatable. `Math.random` and
 * `tf.util.shuffle` are never used: they cannot be seeded.
 */
import { CourseError } from "./errors";

/** mulberry32: a small, fast 32-bit generator; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seeded random number generator with the draws the course needs. */
export class Rng {
  private readonly next: () => number;
  private spareNormal: number | null = null;

  constructor(readonly seed: number) {
    if (!Number.isInteger(seed)) {
      throw new CourseError(`A seed must be an integer, got ${seed}.`);
    }
    this.next = mulberry32(seed);
  }

  /** Uniform float in [0, 1). */
  uniform(): number {
    return this.next();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal draw (Box–Muller, the second value is kept for the next call). */
  normal(): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return z;
    }
    const u = 1 - this.next(); // (0, 1]: log(u) is finite
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /**
   * Fisher–Yates shuffle in place: i from n−1 down to 1, j = floor(r·(i+1)).
   * (This order is part of the reference splits in the course's dataset docs.)
   */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }

  /**
   * Draw an index from unnormalised non-negative weights (inverse CDF). Throws if no weight is
   * positive or any is negative or not finite.
   */
  categorical(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i] as number;
      if (!(w >= 0) || !Number.isFinite(w)) {
        throw new CourseError(
          `categorical(): weight ${i} is ${w}; weights must be finite and ≥ 0.`,
        );
      }
      total += w;
    }
    if (total <= 0) {
      throw new CourseError("categorical(): all weights are 0; nothing can be drawn.");
    }
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i] as number;
      if (r < 0) return i;
    }
    // Rounding can leave r ≥ 0 after the loop: return the last index with positive weight.
    for (let i = weights.length - 1; i >= 0; i--) if ((weights[i] as number) > 0) return i;
    return weights.length - 1;
  }

  /** A new generator whose seed is drawn from this one (for independent streams). */
  fork(): Rng {
    return new Rng(Math.floor(this.next() * 4294967296));
  }
}

let globalRng = new Rng(0);

/** Replace the course-wide generator (called by `setup({ seed })`). */
export function seedAll(seed: number): Rng {
  globalRng = new Rng(seed);
  return globalRng;
}

/** The course-wide generator installed by `setup({ seed })`. */
export function rng(): Rng {
  return globalRng;
}
