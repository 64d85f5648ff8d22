/**
 * The contract every image generator of lessons 06–08 keeps — the VAE (`ConvVae`), the GAN
 * (`Gan`) and the diffusion model (`DiffusionModel`) — as `LanguageModel` is for the language
 * models: one way to ask for a training loss, for samples, for the trained variables, and one
 * checkpoint format (nn/checkpoint.ts) to save and load them, so one sampler, one score and one
 * image grid serve every lesson.
 */
import type { Rng } from "../random";
import type { tf } from "../tf";
import type { CheckpointInfo } from "./checkpoint";
import type { MnistBatch } from "./mnist-batches";
import type { Params } from "./params";

export interface ImageGenerator<C = unknown> {
  /** What it is, as a checkpoint's model.json records it: "conv-vae", "gan", "diffusion-unet". */
  readonly kind: string;
  /** Its config, checked when it was built; a checkpoint stores it. */
  readonly config: C;
  /** The parameter store a checkpoint saves and loads. */
  readonly params: Params;
  /** The variables an optimiser trains. */
  readonly variables: tf.Variable[];
  /**
   * The family's training objective on one batch (images in [0, 1]), its noise drawn from `rng`:
   * −ELBO for the VAE, the discriminator's loss against G's fakes for the GAN (the value the two
   * players fight over), the noise-prediction loss for diffusion.
   */
  loss(batch: MnistBatch, rng: Rng): tf.Scalar;
  /** `n` images in [0, 1] drawn with `rng` (a conditional model asks for digits 0, 1, …, 9, 0, …).  → [n, 28, 28, 1] */
  sample(n: number, rng: Rng): tf.Tensor4D;
  /** Write a checkpoint folder (model.json + weights.bin) with how it was trained. */
  save(dir: string, training: Record<string, unknown>): CheckpointInfo<C>;
  /** Free its memory. */
  dispose(): void;
}
