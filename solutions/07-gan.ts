/**
 * Lesson 07 — GANs on MNIST: the discriminator's and the generator's losses, how class labels
 * enter a conditional GAN, and one training step of the two players.
 */
import { tf } from "@course/lib";
import type { Gan, GanStepLosses } from "@course/lib";

/**
 * Mean binary cross-entropy of logits x against a constant target y (1 = real, 0 = fake), the
 * stable form: max(x, 0) − x·y + log(1 + exp(−|x|)). It never exponentiates a large positive
 * number, so logits of ±100 give finite losses.  logits: any shape → scalar
 * Library twin: `bceWithLogits` from @course/lib is the same function (scripts/test/twins.test.ts checks it); calling it here earns no points.
 */
export function bceWithLogits(logits: tf.Tensor, target: number): tf.Scalar {
  // BEGIN SOLUTION exercise=07.discriminator-loss section="2. The two players' losses"
  return tf.tidy(() => {
    const x = logits;
    const perItem = tf.relu(x).sub(x.mul(target)).add(tf.log1p(tf.exp(x.abs().neg())));
    return perItem.mean() as tf.Scalar;
  });
  // END SOLUTION
}

/**
 * The discriminator's loss: the BCE of the real logits against `realTarget` (1, or 0.9 with
 * one-sided label smoothing) plus the BCE of the fake logits against 0.
 * realLogits [B, 1], fakeLogits [B, 1] → scalar
 * Library twin: `discriminatorLoss` from @course/lib is the same function (scripts/test/twins.test.ts checks it); calling it here earns no points.
 */
export function discriminatorLoss(realLogits: tf.Tensor, fakeLogits: tf.Tensor, realTarget = 1): tf.Scalar {
  // BEGIN SOLUTION exercise=07.discriminator-loss section="2. The two players' losses"
  return tf.tidy(() => bceWithLogits(realLogits, realTarget).add(bceWithLogits(fakeLogits, 0)) as tf.Scalar);
  // END SOLUTION
}

/**
 * The generator's non-saturating loss −mean log D(G(z)) = mean log(1 + exp(−x)): the BCE of the
 * fake logits against 1 ("make D call the fakes real").  fakeLogits [B, 1] → scalar
 * Library twin: `generatorLoss` from @course/lib is the same function (scripts/test/twins.test.ts checks it); calling it here earns no points.
 */
export function generatorLoss(fakeLogits: tf.Tensor): tf.Scalar {
  // BEGIN SOLUTION exercise=07.generator-loss section="2. The two players' losses"
  return bceWithLogits(fakeLogits, 1);
  // END SOLUTION
}

/**
 * The original (saturating) generator loss mean log(1 − D(G(z))) = −mean log(1 + exp(x)), which G
 * would minimise: minus the BCE of the fake logits against 0.  fakeLogits [B, 1] → scalar
 * Library twin: `saturatingGeneratorLoss` from @course/lib is the same function (scripts/test/twins.test.ts checks it); calling it here earns no points.
 */
export function saturatingGeneratorLoss(fakeLogits: tf.Tensor): tf.Scalar {
  // BEGIN SOLUTION exercise=07.generator-loss section="2. The two players' losses"
  return tf.tidy(() => bceWithLogits(fakeLogits, 0).neg() as tf.Scalar);
  // END SOLUTION
}

/**
 * The conditional generator's input: the noise with the label's one-hot vector appended.
 * z [B, Z] (float), labels [B] (int32 digits) → [B, Z + K]
 * Library twin: `generatorInput` from @course/lib is the same function (scripts/test/twins.test.ts checks it); calling it here earns no points.
 */
export function generatorInput(z: tf.Tensor2D, labels: tf.Tensor1D, classes: number): tf.Tensor2D {
  // BEGIN SOLUTION exercise=07.conditional-input section="6. A class-conditional GAN"
  return tf.tidy(() => tf.concat([z, tf.oneHot(labels, classes).toFloat() as tf.Tensor2D], 1)); // [B, Z + K]
  // END SOLUTION
}

/**
 * The conditional discriminator's input: K extra channels after the image's one; channel 1 + k
 * is all ones where the image's label is k, zeros otherwise.
 * images [B, H, W, 1], labels [B] → [B, H, W, 1 + K]
 * Library twin: `discriminatorInput` from @course/lib is the same function (scripts/test/twins.test.ts checks it); calling it here earns no points.
 */
export function discriminatorInput(images: tf.Tensor4D, labels: tf.Tensor1D, classes: number): tf.Tensor4D {
  // BEGIN SOLUTION exercise=07.conditional-input section="6. A class-conditional GAN"
  const [b, h, w] = images.shape;
  return tf.tidy(() => {
    const planes = tf.oneHot(labels, classes).toFloat().reshape([b, 1, 1, classes]); // [B, 1, 1, K]
    return tf.concat([images, planes.tile([1, h, w, 1]) as tf.Tensor4D], 3); //           [B, H, W, 1 + K]
  });
  // END SOLUTION
}

/**
 * One training step with your losses: first D — generate fakes = G(z, labels) outside D's
 * gradient tape, then `gan.optD.minimize` discriminatorLoss(D(real), D(fakes), realTarget) over
 * `gan.dVars`; then G — `gan.optG.minimize` generatorLoss(D(G(z, labels))) over `gan.gVars`, with
 * the same z and labels. Use `gan.generate(z, labels)` and `gan.discriminate(images, labels)`
 * (labels is undefined for an unconditional GAN). Return both losses as scalars (`minimize(f,
 * true, …)` returns the loss); dispose everything else.
 * real [B, 28, 28, 1] in [−1, 1], z [B, Z], labels [B] → { dLoss, gLoss }
 * Library twin: `ganStep` from @course/lib takes the same step (scripts/test/twins.test.ts checks it); calling it here earns no points.
 */
export function trainStep(
  gan: Gan, real: tf.Tensor4D, z: tf.Tensor2D, labels: tf.Tensor1D | undefined, realTarget = 1,
): GanStepLosses {
  // BEGIN SOLUTION exercise=07.train-step section="4. Training the two players"
  const fake = tf.tidy(() => gan.generate(z, labels)); // [B, 28, 28, 1]
  const dLoss = gan.optD.minimize(
    () => discriminatorLoss(gan.discriminate(real, labels), gan.discriminate(fake, labels), realTarget), true, gan.dVars,
  ) as tf.Scalar;
  fake.dispose();
  const gLoss = gan.optG.minimize(
    () => generatorLoss(gan.discriminate(gan.generate(z, labels), labels)), true, gan.gVars,
  ) as tf.Scalar;
  return { dLoss, gLoss };
  // END SOLUTION
}
