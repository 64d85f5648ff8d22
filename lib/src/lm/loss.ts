/** Cross-entropy of next-token predictions, the one loss every language model in the course uses. */
import { assertShape } from "../errors";
import { tf } from "../tf";
import type { LanguageModel } from "./model";

/**
 * Mean negative log-likelihood (nats per token) of `targets` under `logits`. Targets equal to −1
 * are padding and are ignored.  logits: [B, T, V], targets: [B, T] int32 → []
 */
export function crossEntropy(logits: tf.Tensor3D, targets: tf.Tensor2D): tf.Scalar {
  const [B, T, V] = logits.shape;
  assertShape(targets.shape, [B, T], "targets");
  return tf.tidy(() => {
    const flat = targets.reshape([B * T]); // [B·T]
    const mask = flat.greaterEqual(0).toFloat(); // [B·T], 0 where padding
    const safe = flat.maximum(tf.scalar(0, "int32")) as tf.Tensor1D; // padding → id 0, masked out below
    const logp = tf.logSoftmax(logits.reshape([B * T, V])); // [B·T, V]
    const picked = logp.mul(tf.oneHot(safe, V)).sum(1); // [B·T]  log p(target)
    return picked.mul(mask).sum().neg().div(mask.sum().maximum(1)) as tf.Scalar;
  });
}

/** The model's loss on one batch.  x, y: [B, T] → [] */
export function lmLoss(model: LanguageModel, x: tf.Tensor2D, y: tf.Tensor2D, training = false): tf.Scalar {
  return tf.tidy(() => crossEntropy(model.logits(x, { training }), y));
}
