/** Batches for language models: random windows of a token stream, seeded. */
import { CourseError } from "../errors";
import type { Rng } from "../random";
import { tf } from "../tf";
import type { Batch } from "./train";

/**
 * B random windows of T + 1 tokens from `tokens`: x = the first T, y = the same shifted by one
 * (nanoGPT's get_batch).  → x, y: [B, T] int32
 */
export function randomWindows(tokens: Int32Array, blockSize: number, batchSize: number, rng: Rng): Batch {
  if (tokens.length <= blockSize) {
    throw new CourseError(`The token stream has ${tokens.length} tokens; a window needs blockSize + 1 = ${blockSize + 1}.`);
  }
  const x = new Int32Array(batchSize * blockSize), y = new Int32Array(batchSize * blockSize);
  for (let b = 0; b < batchSize; b++) {
    const start = rng.int(tokens.length - blockSize);
    x.set(tokens.subarray(start, start + blockSize), b * blockSize);
    y.set(tokens.subarray(start + 1, start + blockSize + 1), b * blockSize);
  }
  return { x: tf.tensor2d(x, [batchSize, blockSize], "int32"), y: tf.tensor2d(y, [batchSize, blockSize], "int32") };
}
