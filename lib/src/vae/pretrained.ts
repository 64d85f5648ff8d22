/**
 * The lesson's pretrained VAE: the latent-16 model that `npm run quality -- 06
 * --save-checkpoints` trained and measured, stored in datasets/pretrained/06-vae/ (model.json +
 * weights.bin, sha256-checked). Notebooks fall back to it when training now would take too long.
 */
import { type CheckpointInfo, loadModel, readCheckpointInfo } from "../nn/checkpoint";
import { repoPath } from "../paths";
import { Rng } from "../random";
import { type ConvVaeConfig, ConvVae, VAE_CHECKPOINT_KIND } from "./model";

/** Where the checkpoint lives, relative to the repository root. */
export const VAE_CHECKPOINT_DIR = "datasets/pretrained/06-vae";

/** Save `model` as a checkpoint in `dir` (default: the lesson's); returns what model.json holds. */
export function saveVae(
  model: ConvVae, training: Record<string, unknown>, dir = repoPath(VAE_CHECKPOINT_DIR),
): CheckpointInfo<ConvVaeConfig> {
  return model.save(dir, training);
}

/** How the checkpoint in `dir` was made (config, seed, steps, seconds, metrics), without loading it. */
export function pretrainedVaeInfo(dir = repoPath(VAE_CHECKPOINT_DIR)): CheckpointInfo<ConvVaeConfig> {
  return readCheckpointInfo<ConvVaeConfig>(dir, VAE_CHECKPOINT_KIND);
}

/** The VAE stored in `dir` (default: the committed one). The caller disposes it. */
export function loadPretrainedVae(dir = repoPath(VAE_CHECKPOINT_DIR)): ConvVae {
  return loadModel<ConvVaeConfig, ConvVae>(dir, VAE_CHECKPOINT_KIND, (config) => new ConvVae(config, new Rng(0))).model;
}
