/**
 * The committed checkpoint in datasets/pretrained/08-diffusion: the EMA weights of the model that
 * `npm run quality -- 08 --save-checkpoints` trained and measured.
 */
import { loadModel, saveCheckpoint } from "../nn/checkpoint";
import { repoPath } from "../paths";
import { Rng } from "../random";
import type { DiffusionRun } from "./presets";
import { DiffusionUnet } from "./unet";

export const DIFFUSION_CHECKPOINT_DIR = "datasets/pretrained/08-diffusion";
export const DIFFUSION_CHECKPOINT_KIND = "diffusion-unet";
export const DIFFUSION_RETRAIN = "npm run quality -- 08 --save-checkpoints --json /tmp/q08.json";

/** The pretrained denoiser and the run settings it was trained with. */
export function loadPretrainedDiffusion(dir = repoPath(DIFFUSION_CHECKPOINT_DIR)): { model: DiffusionUnet; run: DiffusionRun; training: Record<string, unknown> } {
  const { model, info } = loadModel<DiffusionRun, DiffusionUnet>(dir, DIFFUSION_CHECKPOINT_KIND, (run) => new DiffusionUnet(run.model, new Rng(0)));
  return { model, run: info.config, training: info.training };
}

/** Save `model` (the EMA weights) with its run settings as the lesson's checkpoint. */
export function savePretrainedDiffusion(model: DiffusionUnet, run: DiffusionRun, training: Record<string, unknown>, dir = repoPath(DIFFUSION_CHECKPOINT_DIR)): void {
  saveCheckpoint(dir, DIFFUSION_CHECKPOINT_KIND, run, model.params, training, DIFFUSION_RETRAIN);
}
