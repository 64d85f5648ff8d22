/**
 * One loader for the image generators of lessons 06–08: whichever family a checkpoint folder
 * holds, it comes back as an `ImageGenerator` (nn/generator.ts) ready to `sample(n, rng)`.
 */
import { CourseError } from "./errors";
import { DIFFUSION_CHECKPOINT_KIND, loadDiffusionModel } from "./diffusion/model";
import { GAN_KIND } from "./gan/gan";
import { loadPretrainedGan } from "./gan/pretrained";
import { checkpointKind } from "./nn/checkpoint";
import type { ImageGenerator } from "./nn/generator";
import { shownPath } from "./paths";
import { VAE_CHECKPOINT_KIND } from "./vae/model";
import { loadPretrainedVae } from "./vae/pretrained";

const LOADERS: Record<string, (dir: string) => ImageGenerator> = {
  [VAE_CHECKPOINT_KIND]: loadPretrainedVae,
  [GAN_KIND]: loadPretrainedGan,
  [DIFFUSION_CHECKPOINT_KIND]: loadDiffusionModel,
};

/** The image generator saved in `dir` (any family; sha256-checked). The caller disposes it. */
export function loadGenerator(dir: string): ImageGenerator {
  const kind = checkpointKind(dir);
  const load = LOADERS[kind];
  if (!load) {
    throw new CourseError(`${shownPath(dir)} holds a "${kind}" checkpoint; loadGenerator() reads ${Object.keys(LOADERS).join(", ")}.`);
  }
  return load(dir);
}
