// Exercise file generated from solutions/07-gan.ts by `npm run exercises`.
// Replace each TODO + throw with your code; `npm run grade` checks it. The generator never
// overwrites this file once you have changed it.
/**
 * Lesson 07 — GANs on MNIST: the discriminator's and the generator's losses, how class labels
 * enter a conditional GAN, and one training step of the two players.
 */
import { NotImplementedError, tf } from "@course/lib";
import type { Gan, GanStepLosses } from "@course/lib";

/**
 * Mean binary cross-entropy of logits x against a constant target y (1 = real, 0 = fake), the
 * stable form: max(x, 0) − x·y + log(1 + exp(−|x|)). It never exponentiates a large positive
 * number, so logits of ±100 give finite losses.  logits: any shape → scalar
 * Library twin: `bceWithLogits` from @course/lib is the same function (scripts/test/twins.test.ts checks it); calling it here earns no points.
 */
export function bceWithLogits(logits: tf.Tensor, target: number): tf.Scalar {
  // TODO(07.discriminator-loss): write bceWithLogits — notebooks/07-gan.ipynb, section "2. The two players' losses" explains it.
  throw new NotImplementedError("07.discriminator-loss", "exercises/07-gan.ts", "bceWithLogits", "notebooks/07-gan.ipynb, section \"2. The two players' losses\"");
}

/**
 * The discriminator's loss: the BCE of the real logits against `realTarget` (1, or 0.9 with
 * one-sided label smoothing) plus the BCE of the fake logits against 0.
 * realLogits [B, 1], fakeLogits [B, 1] → scalar
 * Library twin: `discriminatorLoss` from @course/lib is the same function (scripts/test/twins.test.ts checks it); calling it here earns no points.
 */
export function discriminatorLoss(realLogits: tf.Tensor, fakeLogits: tf.Tensor, realTarget = 1): tf.Scalar {
  // TODO(07.discriminator-loss): write discriminatorLoss — notebooks/07-gan.ipynb, section "2. The two players' losses" explains it.
  throw new NotImplementedError("07.discriminator-loss", "exercises/07-gan.ts", "discriminatorLoss", "notebooks/07-gan.ipynb, section \"2. The two players' losses\"");
}

/**
 * The generator's non-saturating loss −mean log D(G(z)) = mean log(1 + exp(−x)): the BCE of the
 * fake logits against 1 ("make D call the fakes real").  fakeLogits [B, 1] → scalar
 * Library twin: `generatorLoss` from @course/lib is the same function (scripts/test/twins.test.ts checks it); calling it here earns no points.
 */
export function generatorLoss(fakeLogits: tf.Tensor): tf.Scalar {
  // TODO(07.generator-loss): write generatorLoss — notebooks/07-gan.ipynb, section "2. The two players' losses" explains it.
  throw new NotImplementedError("07.generator-loss", "exercises/07-gan.ts", "generatorLoss", "notebooks/07-gan.ipynb, section \"2. The two players' losses\"");
}

/**
 * The original (saturating) generator loss mean log(1 − D(G(z))) = −mean log(1 + exp(x)), which G
 * would minimise: minus the BCE of the fake logits against 0.  fakeLogits [B, 1] → scalar
 * Library twin: `saturatingGeneratorLoss` from @course/lib is the same function (scripts/test/twins.test.ts checks it); calling it here earns no points.
 */
export function saturatingGeneratorLoss(fakeLogits: tf.Tensor): tf.Scalar {
  // TODO(07.generator-loss): write saturatingGeneratorLoss — notebooks/07-gan.ipynb, section "2. The two players' losses" explains it.
  throw new NotImplementedError("07.generator-loss", "exercises/07-gan.ts", "saturatingGeneratorLoss", "notebooks/07-gan.ipynb, section \"2. The two players' losses\"");
}

/**
 * The conditional generator's input: the noise with the label's one-hot vector appended.
 * z [B, Z] (float), labels [B] (int32 digits) → [B, Z + K]
 * Library twin: `generatorInput` from @course/lib is the same function (scripts/test/twins.test.ts checks it); calling it here earns no points.
 */
export function generatorInput(z: tf.Tensor2D, labels: tf.Tensor1D, classes: number): tf.Tensor2D {
  // TODO(07.conditional-input): write generatorInput — notebooks/07-gan.ipynb, section "6. A class-conditional GAN" explains it.
  throw new NotImplementedError("07.conditional-input", "exercises/07-gan.ts", "generatorInput", "notebooks/07-gan.ipynb, section \"6. A class-conditional GAN\"");
}

/**
 * The conditional discriminator's input: K extra channels after the image's one; channel 1 + k
 * is all ones where the image's label is k, zeros otherwise.
 * images [B, H, W, 1], labels [B] → [B, H, W, 1 + K]
 * Library twin: `discriminatorInput` from @course/lib is the same function (scripts/test/twins.test.ts checks it); calling it here earns no points.
 */
export function discriminatorInput(images: tf.Tensor4D, labels: tf.Tensor1D, classes: number): tf.Tensor4D {
  // TODO(07.conditional-input): write discriminatorInput — notebooks/07-gan.ipynb, section "6. A class-conditional GAN" explains it.
  throw new NotImplementedError("07.conditional-input", "exercises/07-gan.ts", "discriminatorInput", "notebooks/07-gan.ipynb, section \"6. A class-conditional GAN\"");
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
  // TODO(07.train-step): write trainStep — notebooks/07-gan.ipynb, section "4. Training the two players" explains it.
  throw new NotImplementedError("07.train-step", "exercises/07-gan.ts", "trainStep", "notebooks/07-gan.ipynb, section \"4. Training the two players\"");
}
