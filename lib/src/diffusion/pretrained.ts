/**
 * The committed checkpoint in datasets/pretrained/08-diffusion: the EMA weights of the model that
 * `npm run quality -- 08 --save-checkpoints` trained and measured.
 */
import { loadModel, saveCheckpoint } from "../nn/checkpoint";
import { repoPath } from "../paths";
import { Rng } from "../random";
import { DIFFUSION_CHECKPOINT_KIND, DIFFUSION_RETRAIN, type DiffusionModel, loadDiffusionModel } from "./model";
import type { DiffusionRun } from "./presets";
import { DiffusionUnet } from "./unet";

export const DIFFUSION_CHECKPOINT_DIR = "datasets/pretrained/08-diffusion";

/** The pretrained denoiser and the run settings it was trained with. */
export function loadPretrainedDiffusion(dir = repoPath(DIFFUSION_CHECKPOINT_DIR)): { model: DiffusionUnet; run: DiffusionRun; training: Record<string, unknown> } {
  const { model, info } = loadModel<DiffusionRun, DiffusionUnet>(dir, DIFFUSION_CHECKPOINT_KIND, (run) => new DiffusionUnet(run.model, new Rng(0)));
  return { model, run: info.config, training: info.training };
}

/** The committed checkpoint (or the one in `dir`) as a DiffusionModel (the image-generator contract). */
export function loadPretrainedDiffusionModel(dir = repoPath(DIFFUSION_CHECKPOINT_DIR)): DiffusionModel {
  return loadDiffusionModel(dir);
}

/** Save `model` (the EMA weights) with its run settings as the lesson's checkpoint. */
export function savePretrainedDiffusion(model: DiffusionUnet, run: DiffusionRun, training: Record<string, unknown>, dir = repoPath(DIFFUSION_CHECKPOINT_DIR)): void {
  saveCheckpoint(dir, DIFFUSION_CHECKPOINT_KIND, run, model.params, training, DIFFUSION_RETRAIN);
}
