/**
 * Named random streams from one seed. `setup({ seed })` returns them as `streams`, and every
 * trainer, sampler and notebook takes the stream its draws belong to:
 *
 *   init     initial weights                      seed + 0
 *   batches  shuffles and batch order             seed + 1
 *   noise    training noise (ε, z, t, dropout)    seed + 2
 *   sample   sampling after training              seed + 3
 *   eval     draws of a measurement (FID sets…)   seed + 4
 *
 * The offsets live here and nowhere else, so changing the seed in a notebook's first cell
 * changes every draw, and the same seed repeats every draw bit for bit on one backend.
 * Each stream is one generator: two calls that take `streams.sample` draw different numbers,
 * as two draws from one generator do. `fresh(name)` starts a stream over (e.g. an EMA copy that
 * must get the same initial weights as its model).
 */
import { CourseError } from "./errors";
import { Rng } from "./random";

/** Each stream's offset from the run's seed (the one place they are written down). */
export const STREAM_OFFSETS = { init: 0, batches: 1, noise: 2, sample: 3, eval: 4 } as const;

export type StreamName = keyof typeof STREAM_OFFSETS;

/** One generator per purpose, all derived from `seed`. */
export interface Streams {
  readonly seed: number;
  /** Initial weights. */
  readonly init: Rng;
  /** Shuffles and the order of training batches. */
  readonly batches: Rng;
  /** Noise drawn while training: ε of a VAE, z of a GAN, t and ε of diffusion. */
  readonly noise: Rng;
  /** Samples drawn from a trained model (images, text). */
  readonly sample: Rng;
  /** Draws that belong to a measurement (which images enter a score). */
  readonly eval: Rng;
  /** A new generator at the start of stream `name` (the draws `seeds(seed)[name]` began with). */
  fresh(name: StreamName): Rng;
}

/** The named streams of `seed`: `seeds(42).init` is the generator of the initial weights. */
export function seeds(seed: number): Streams {
  if (!Number.isInteger(seed)) throw new CourseError(`seeds(seed): a seed must be an integer, got ${seed}.`);
  const fresh = (name: StreamName): Rng => {
    if (!(name in STREAM_OFFSETS)) {
      throw new CourseError(`No random stream named "${String(name)}"; the streams are ${Object.keys(STREAM_OFFSETS).join(", ")}.`);
    }
    return new Rng(seed + STREAM_OFFSETS[name]);
  };
  return {
    seed, fresh,
    init: fresh("init"), batches: fresh("batches"), noise: fresh("noise"), sample: fresh("sample"), eval: fresh("eval"),
  };
}
