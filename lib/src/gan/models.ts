/**
 * The DCGAN players for 28×28 digits (Radford et al. 2015), written with the course's layers:
 *
 *   G: z [B, Z] (+ one-hot label) → dense 7·7·C → BN-relu → [B, 7, 7, C]
 *      → conv-transpose 4×4/2 (C/2) → BN-relu → [B, 14, 14, C/2]
 *      → conv-transpose 4×4/2 (1) → tanh → [B, 28, 28, 1] in [−1, 1]
 *   D: x [B, 28, 28, 1] (+ K label planes) → conv 4×4/2 (Cd) → leaky 0.2 → [B, 14, 14, Cd]
 *      → conv 4×4/2 (2·Cd) → BN → leaky 0.2 → [B, 7, 7, 2·Cd] → dense 1: the logit of "real"
 *
 * Layers followed by batch norm have no bias (BN's shift replaces it). Batch norm always uses the
 * statistics of the batch it sees, in training and in sampling alike.
 */
import { CourseError } from "../errors";
import { batchNorm, convTranspose, conv, dense, leaky, Params } from "../nn";
import { tf } from "../tf";
import { type GanConfig, checkGanConfig } from "./config";
import { discriminatorInput, generatorInput } from "./losses";

function labelsFor(config: GanConfig, labels: tf.Tensor1D | undefined, what: string): tf.Tensor1D | undefined {
  if (config.classes > 0 && !labels) {
    throw new CourseError(`${what}: this GAN is conditioned on ${config.classes} classes; pass labels [B] (int32).`);
  }
  if (config.classes === 0 && labels) {
    throw new CourseError(`${what}: this GAN is unconditional (classes = 0); pass no labels.`);
  }
  return labels;
}

/** The variables `root` gained while `build` ran (a player's own, for its optimiser). */
function created(root: Params, build: () => void): tf.Variable[] {
  const before = root.named.length;
  build();
  return root.named.slice(before).map((e) => e.variable);
}

export class Generator {
  /** G's parameters ("g.…" in the store it was built in), what G's optimiser trains. */
  readonly vars: tf.Variable[];
  private forward!: (input: tf.Tensor2D) => tf.Tensor4D;

  /** Creates its parameters as "g.…" in `root` (a `new Params(rng)` or a store shared with D). */
  constructor(readonly config: GanConfig, root: Params) {
    checkGanConfig(config);
    this.vars = created(root, () => this.build(root.scope("g")));
  }

  private build(p: Params): void {
    const { zDim, gChannels: c, classes } = this.config;
    const fc = dense(p, "fc", zDim + classes, 7 * 7 * c, false);
    const bn0 = batchNorm<tf.Tensor4D>(p, "bn0", c);
    const up1 = convTranspose(p, "up1", 4, c, c / 2, 2, false);
    const bn1 = batchNorm<tf.Tensor4D>(p, "bn1", c / 2);
    const up2 = convTranspose(p, "up2", 4, c / 2, 1, 2);
    this.forward = (input) => {
      const b = input.shape[0];
      const h0 = tf.relu(bn0(tf.reshape(fc(input), [b, 7, 7, c]))); //   [B, 7, 7, C]
      const h1 = tf.relu(bn1(up1(h0))); //                                  [B, 14, 14, C/2]
      return tf.tanh(up2(h1)); //                                           [B, 28, 28, 1]
    };
  }

  /** Images in [−1, 1] from noise (and labels, when conditional).  z [B, Z] → [B, 28, 28, 1] */
  apply(z: tf.Tensor2D, labels?: tf.Tensor1D): tf.Tensor4D {
    if (z.rank !== 2 || z.shape[1] !== this.config.zDim) {
      throw new CourseError(`Generator: z must be [B, ${this.config.zDim}], got [${z.shape}].`);
    }
    const y = labelsFor(this.config, labels, "Generator");
    return tf.tidy(() => this.forward(y ? generatorInput(z, y, this.config.classes) : z));
  }
}

export class Discriminator {
  /** D's parameters ("d.…" in the store it was built in), what D's optimiser trains. */
  readonly vars: tf.Variable[];
  private forward!: (x: tf.Tensor4D) => tf.Tensor2D;

  /** Creates its parameters as "d.…" in `root` (a `new Params(rng)` or a store shared with G). */
  constructor(readonly config: GanConfig, root: Params) {
    checkGanConfig(config);
    this.vars = created(root, () => this.build(root.scope("d")));
  }

  private build(p: Params): void {
    const { dChannels: c, classes } = this.config;
    const c1 = conv(p, "c1", 4, 1 + classes, c, 2);
    const c2 = conv(p, "c2", 4, c, 2 * c, 2, false);
    const bn = batchNorm<tf.Tensor4D>(p, "bn", 2 * c);
    const fc = dense(p, "fc", 7 * 7 * 2 * c, 1);
    this.forward = (x) => {
      const b = x.shape[0];
      const h1 = leaky(c1(x)); //                                           [B, 14, 14, Cd]
      const h2 = leaky(bn(c2(h1))); //                                      [B, 7, 7, 2·Cd]
      return fc(tf.reshape(h2, [b, 7 * 7 * 2 * c])); //                     [B, 1]
    };
  }

  /** The logit of "real" for each image (and label, when conditional).  [B, 28, 28, 1] → [B, 1] */
  apply(images: tf.Tensor4D, labels?: tf.Tensor1D): tf.Tensor2D {
    if (images.rank !== 4 || images.shape[1] !== 28 || images.shape[2] !== 28 || images.shape[3] !== 1) {
      throw new CourseError(`Discriminator: images must be [B, 28, 28, 1] in [−1, 1], got [${images.shape}].`);
    }
    const y = labelsFor(this.config, labels, "Discriminator");
    return tf.tidy(() => this.forward(y ? discriminatorInput(images, y, this.config.classes) : images));
  }
}
