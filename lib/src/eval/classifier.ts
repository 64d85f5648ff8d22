/**
 * The course's MNIST classifier: the feature extractor that FID and KID use in lessons 06–08
 * and 10. A small convnet written with plain TensorFlow.js ops:
 *
 *   x [N, 28, 28, 1] → conv3×3(c1)-relu-maxpool2 → conv3×3(c2)-relu-maxpool2
 *                    → dense(F)-relu  ("features", the space FID/KID live in) → dense(10) logits
 *
 * Images are grey levels scaled to [0, 1] (`mnistTensor` does that for `loadMnist`'s bytes).
 * Generators whose samples live in [−1, 1] must map them back with (x + 1) / 2 first.
 */
import { assertShape, CourseError } from "../errors";
import type { Mnist } from "../data/mnist";
import type { Rng } from "../random";
import { tf } from "../tf";

export interface ClassifierConfig {
  /** Channels of the first 3×3 convolution (on 28×28). */
  conv1: number;
  /** Channels of the second 3×3 convolution (on 14×14). */
  conv2: number;
  /** Width of the penultimate dense layer: the dimension F of the feature space. */
  features: number;
  /** Number of classes (10 digits). */
  classes: number;
}

/** The configuration of the committed checkpoint in datasets/mnist-classifier/. */
export const CLASSIFIER_CONFIG: ClassifierConfig = {
  conv1: 16, conv2: 32, features: 64, classes: 10,
};

/** Parameter names in checkpoint order. */
export const CLASSIFIER_PARAM_NAMES = ["w1", "b1", "w2", "b2", "w3", "b3", "w4", "b4"] as const;
export type ClassifierParamName = (typeof CLASSIFIER_PARAM_NAMES)[number];

/** Shapes of each parameter for a config. */
export function classifierShapes(c: ClassifierConfig): Record<ClassifierParamName, number[]> {
  const flat = 7 * 7 * c.conv2;
  return {
    w1: [3, 3, 1, c.conv1], b1: [c.conv1],
    w2: [3, 3, c.conv1, c.conv2], b2: [c.conv2],
    w3: [flat, c.features], b3: [c.features],
    w4: [c.features, c.classes], b4: [c.classes],
  };
}

/** Number of inputs each weight sees (for the initialiser's bound). */
function fanIn(c: ClassifierConfig, name: ClassifierParamName): number {
  const fans = { 1: 9, 2: 9 * c.conv1, 3: 7 * 7 * c.conv2, 4: c.features };
  return fans[Number(name[1]) as 1 | 2 | 3 | 4];
}

function checkConfig(c: ClassifierConfig): void {
  for (const key of ["conv1", "conv2", "features", "classes"] as const) {
    if (!(Number.isInteger(c[key]) && c[key] >= 1)) {
      throw new CourseError(`ClassifierConfig.${key} must be an integer ≥ 1, got ${c[key]}.`);
    }
  }
}

export class MnistClassifier {
  readonly params: Record<ClassifierParamName, tf.Variable>;

  /**
   * New weights from `rng` (U(−1/√fanIn, 1/√fanIn), PyTorch's default for conv and dense), or
   * the given values (a checkpoint), in CLASSIFIER_PARAM_NAMES order.
   */
  constructor(readonly config: ClassifierConfig, rng: Rng | Float32Array[]) {
    checkConfig(config);
    const shapes = classifierShapes(config);
    const entries = CLASSIFIER_PARAM_NAMES.map((name, i) => {
      const shape = shapes[name];
      const size = shape.reduce((a, b) => a * b, 1);
      let values: Float32Array;
      if (Array.isArray(rng)) {
        values = rng[i] as Float32Array;
        if (!values || values.length !== size) {
          throw new CourseError(
            `MnistClassifier: parameter ${name} needs ${size} values for shape [${shape}], ` +
              `got ${values ? values.length : "none"}.`,
          );
        }
      } else {
        const bound = 1 / Math.sqrt(fanIn(config, name));
        values = Float32Array.from({ length: size }, () => (2 * rng.uniform() - 1) * bound);
      }
      const init = tf.tensor(values, shape);
      const v = tf.variable(init, true); // the variable copies the data; free the tensor
      init.dispose();
      return [name, v] as const;
    });
    this.params = Object.fromEntries(entries) as Record<ClassifierParamName, tf.Variable>;
  }

  /** The variables in checkpoint order (for an optimiser). */
  get vars(): tf.Variable[] {
    return CLASSIFIER_PARAM_NAMES.map((n) => this.params[n]);
  }

  /** Penultimate-layer activations: x [N, 28, 28, 1] in [0, 1] → [N, F]. */
  features(x: tf.Tensor4D): tf.Tensor2D {
    assertShape(x.shape, [null, 28, 28, 1], "classifier input");
    const p = this.params;
    return tf.tidy(() => {
      const n = x.shape[0];
      let h = tf.conv2d(x, p.w1 as tf.Tensor4D, 1, "same").add(p.b1); //   [N, 28, 28, c1]
      h = tf.maxPool(tf.relu(h) as tf.Tensor4D, 2, 2, "valid"); //        [N, 14, 14, c1]
      h = tf.conv2d(h as tf.Tensor4D, p.w2 as tf.Tensor4D, 1, "same").add(p.b2); // [N, 14, 14, c2]
      h = tf.maxPool(tf.relu(h) as tf.Tensor4D, 2, 2, "valid"); //        [N, 7, 7, c2]
      const flat = tf.reshape(h, [n, 7 * 7 * this.config.conv2]); //      [N, 7·7·c2]
      return tf.relu(tf.matMul(flat, p.w3 as tf.Tensor2D).add(p.b3)) as tf.Tensor2D; // [N, F]
    });
  }

  /** Class scores: x [N, 28, 28, 1] → [N, 10]. */
  logits(x: tf.Tensor4D): tf.Tensor2D {
    return tf.tidy(() => {
      const f = this.features(x); //                                      [N, F]
      return tf.matMul(f, this.params.w4 as tf.Tensor2D).add(this.params.b4) as tf.Tensor2D;
    });
  }

  /** Mean softmax cross-entropy against integer labels [N]. */
  loss(x: tf.Tensor4D, labels: tf.Tensor1D): tf.Scalar {
    return tf.tidy(() => {
      const y = tf.oneHot(labels, this.config.classes); //                [N, 10]
      return tf.losses.softmaxCrossEntropy(y, this.logits(x)) as tf.Scalar;
    });
  }

  dispose(): void {
    for (const v of this.vars) v.dispose();
  }
}

/** Images of an `Mnist` (bytes 0–255), from `start`, as a float tensor in [0, 1]. [N, 28, 28, 1] */
export function mnistTensor(data: Mnist, start = 0, count = data.count - start): tf.Tensor4D {
  if (start < 0 || count < 0 || start + count > data.count) {
    throw new CourseError(
      `mnistTensor(): images ${start}…${start + count - 1} asked for, the set has ${data.count}.`,
    );
  }
  const bytes = data.images.subarray(start * 784, (start + count) * 784);
  const values = Float32Array.from(bytes, (b) => b / 255);
  return tf.tensor4d(values, [count, 28, 28, 1]);
}

/**
 * Run `fn` over `images` in batches (bounding memory) and return its rows as one float64 array,
 * row-major. [N, …] → N × width values.
 */
export function mapBatches(
  images: tf.Tensor4D,
  fn: (batch: tf.Tensor4D) => tf.Tensor2D,
  batchSize = 500,
): { data: Float64Array; rows: number; cols: number } {
  const n = images.shape[0];
  let out: Float64Array | null = null;
  let cols = 0;
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const rows = tf.tidy(() => fn(tf.slice(images, [start, 0, 0, 0], [size, 28, 28, 1])));
    cols = rows.shape[1];
    out ??= new Float64Array(n * cols);
    out.set(rows.dataSync(), start * cols);
    rows.dispose();
  }
  return { data: out ?? new Float64Array(0), rows: n, cols };
}

/** Predicted class of each image. [N, 28, 28, 1] → N labels. */
export function predictLabels(model: MnistClassifier, images: tf.Tensor4D): Uint8Array {
  const { data, rows, cols } = mapBatches(images, (b) => model.logits(b));
  const labels = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    let best = 0;
    for (let j = 1; j < cols; j++) if (data[i * cols + j]! > data[i * cols + best]!) best = j;
    labels[i] = best;
  }
  return labels;
}

/** Fraction of images whose predicted class equals `labels`. */
export function classifierAccuracy(
  model: MnistClassifier, images: tf.Tensor4D, labels: Uint8Array,
): number {
  const predicted = predictLabels(model, images);
  let right = 0;
  for (let i = 0; i < predicted.length; i++) if (predicted[i] === labels[i]) right++;
  return right / predicted.length;
}
