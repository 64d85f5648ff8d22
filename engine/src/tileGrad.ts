/**
 * A gradient for Tile (tf.tile, and tf.broadcastTo, which runs Tile) that is one reduction.
 *
 * tfjs-core 4.22's gradient adds up the tiles one slice at a time: a loop of reps[0]·reps[1]·…
 * slice + add kernels. Tiling a [1, C] scale or bias over a [B·T, C] activation (as layer- and
 * batch-normalisation code does) makes that thousands of kernels per step, and on wasm every
 * slice also copies the whole gradient. Here dy [r0·s0, r1·s1, …] is viewed as
 * [r0, s0, r1, s1, …] and summed over the r axes: one reshape and one sum, for any rank.
 *
 * Used on wasm backends only (the others keep tfjs's gradient, so the cpu backend stays the
 * unmodified reference); removed again by restoreTileGradient().
 */
import * as tf from "@tensorflow/tfjs-core";
import { gradOverride } from "./gradOverride";

/** dx of y = tile(x, reps), given dy. */
export function tileGradient(dy: tf.Tensor, xShape: number[], reps: number[]): tf.Tensor {
  const split: number[] = [];
  const axes: number[] = [];
  xShape.forEach((size, i) => {
    const rep = reps[i] as number;
    if (rep > 1) {
      axes.push(split.length);
      split.push(rep);
    }
    split.push(size);
  });
  if (axes.length === 0) return tf.reshape(dy, xShape);
  return tf.reshape(tf.sum(tf.reshape(dy, split), axes), xShape);
}

const override = gradOverride(tf.Tile, ["x"], (dy, saved, attrs) => {
  const [x] = saved as [tf.Tensor];
  const { reps } = attrs as unknown as tf.TileAttrs;
  return { x: () => tileGradient(dy, x.shape, reps) };
});

/** Use the one-reduction Tile gradient on wasm. Needs tfjs-core's gradients registered. */
export const installTileGradient = (): void => override.install();

/** Put tfjs-core's own Tile gradient back. */
export const restoreTileGradient = (): void => override.restore();
