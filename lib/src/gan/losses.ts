/**
 * The two players' losses (Goodfellow et al. 2014) on the discriminator's logits, and how class
 * labels enter a conditional GAN (Mirza & Osindero 2014). D(x) = σ(logit): the probability that x
 * is a real image.
 */
import { CourseError } from "../errors";
import { tf } from "../tf";

/**
 * Mean binary cross-entropy of logits x against a constant target y, in the stable form
 * max(x, 0) − x·y + log(1 + e^(−|x|)) — never exp of a large positive number.
 */
export function bceWithLogits(logits: tf.Tensor, target: number): tf.Scalar {
  return tf.tidy(() => {
    const x = logits;
    const perItem = tf.add(tf.sub(tf.relu(x), tf.mul(x, target)), tf.log1p(tf.exp(tf.neg(tf.abs(x)))));
    return tf.mean(perItem) as tf.Scalar;
  });
}

/**
 * The discriminator's loss: real images should get D = 1 (or `realTarget`, e.g. 0.9 for one-sided
 * label smoothing), fakes D = 0.  −mean log D(x) − mean log(1 − D(G(z)))
 */
export function discriminatorLoss(realLogits: tf.Tensor, fakeLogits: tf.Tensor, realTarget = 1): tf.Scalar {
  return tf.tidy(() => tf.add(bceWithLogits(realLogits, realTarget), bceWithLogits(fakeLogits, 0)));
}

/**
 * The generator's non-saturating loss −mean log D(G(z)): steep where D confidently rejects the
 * fakes (logit ≪ 0), which is exactly where the generator starts.
 */
export function generatorLoss(fakeLogits: tf.Tensor): tf.Scalar {
  return bceWithLogits(fakeLogits, 1);
}

/**
 * The original minimax generator loss mean log(1 − D(G(z))), minimised by G. Its gradient
 * vanishes where D confidently rejects the fakes — shown in the notebook, never trained with.
 */
export function saturatingGeneratorLoss(fakeLogits: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.neg(bceWithLogits(fakeLogits, 0)));
}

function checkLabels(labels: tf.Tensor1D, batch: number, classes: number, what: string): void {
  if (labels.rank !== 1 || labels.shape[0] !== batch || labels.dtype !== "int32") {
    throw new CourseError(
      `${what}: labels must be an int32 tensor [${batch}] (one digit per image), got ${labels.dtype} [${labels.shape}].`,
    );
  }
  if (classes < 1) throw new CourseError(`${what}: this GAN has no classes; pass no labels.`);
}

/** The labels as float one-hot rows, what both conditional inputs append.  labels [B] → [B, K] */
export function oneHotLabels(labels: tf.Tensor1D, classes: number): tf.Tensor2D {
  return tf.tidy(() => tf.cast(tf.oneHot(labels, classes), "float32") as tf.Tensor2D); // [B, K]
}

/** The generator's input: noise with the one-hot label appended.  z [B, Z], labels [B] → [B, Z + K] */
export function generatorInput(z: tf.Tensor2D, labels: tf.Tensor1D, classes: number): tf.Tensor2D {
  checkLabels(labels, z.shape[0], classes, "generatorInput()");
  return tf.tidy(() => tf.concat([z, oneHotLabels(labels, classes)], 1)); // [B, Z + K]
}

/**
 * The discriminator's input: K extra image channels, channel k all ones where the label is k and
 * zeros elsewhere.  images [B, 28, 28, 1], labels [B] → [B, 28, 28, 1 + K]
 */
export function discriminatorInput(images: tf.Tensor4D, labels: tf.Tensor1D, classes: number): tf.Tensor4D {
  const [b, h, w] = images.shape;
  checkLabels(labels, b, classes, "discriminatorInput()");
  return tf.tidy(() => {
    const planes = tf.reshape(oneHotLabels(labels, classes), [b, 1, 1, classes]); // [B, 1, 1, K]
    const maps = tf.tile(planes, [1, h, w, 1]) as tf.Tensor4D; //                   [B, H, W, K]
    return tf.concat([images, maps], 3); //                                          [B, H, W, 1 + K]
  });
}
