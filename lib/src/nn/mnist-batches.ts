/**
 * Shuffled minibatches of MNIST for the image lessons. Images come as float tensors in [0, 1]
 * (`toSigned` maps them to [−1, 1] for models with a tanh output), labels as int32 digits.
 */
import type { Mnist } from "../data/mnist";
import { CourseError } from "../errors";
import type { Rng } from "../random";
import { tf } from "../tf";

export interface MnistBatch {
  /** [B, 28, 28, 1] grey levels in [0, 1]. */
  images: tf.Tensor4D;
  /** [B] digits 0–9 (int32). */
  labels: tf.Tensor1D;
  /** The same digits as numbers, for code that needs them without reading a tensor back. */
  digits: Int32Array;
}

/** Minibatches drawn without replacement; the order is reshuffled by `rng` every epoch. */
export class MnistBatches {
  private order: number[] = [];
  private cursor = 0;
  /** Completed passes over the data. */
  epoch = 0;

  constructor(readonly data: Mnist, private readonly rng: Rng) {
    if (data.count < 1) throw new CourseError("MnistBatches: the dataset is empty.");
    this.reshuffle();
  }

  /** The next `batchSize` images and labels; the caller disposes both tensors. */
  next(batchSize: number): MnistBatch {
    if (!(Number.isInteger(batchSize) && batchSize >= 1 && batchSize <= this.data.count)) {
      throw new CourseError(`MnistBatches.next(): batchSize must be 1…${this.data.count}, got ${batchSize}.`);
    }
    const pixels = new Float32Array(batchSize * 784);
    const labels = new Int32Array(batchSize);
    for (let i = 0; i < batchSize; i++) {
      if (this.cursor === this.order.length) {
        this.epoch++;
        this.reshuffle();
      }
      const k = this.order[this.cursor++]!;
      const src = this.data.images.subarray(k * 784, (k + 1) * 784);
      for (let j = 0; j < 784; j++) pixels[i * 784 + j] = src[j]! / 255;
      labels[i] = this.data.labels[k]!;
    }
    return { images: tf.tensor4d(pixels, [batchSize, 28, 28, 1]), labels: tf.tensor1d(labels, "int32"), digits: labels };
  }

  private reshuffle(): void {
    this.order = this.rng.shuffle(Array.from({ length: this.data.count }, (_, i) => i));
    this.cursor = 0;
  }
}

/** [0, 1] → [−1, 1]. */
export function toSigned<T extends tf.Tensor>(x: T): T {
  return tf.tidy(() => tf.sub(tf.mul(x, 2), 1));
}

/** [−1, 1] → [0, 1], clipped (for display and for the classifier). */
export function fromSigned<T extends tf.Tensor>(x: T): T {
  return tf.tidy(() => tf.clipByValue(tf.div(tf.add(x, 1), 2), 0, 1) as T);
}
