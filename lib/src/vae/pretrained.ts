/**
 * The lesson's pretrained VAE: the latent-16 model that `npm run quality -- 06
 * --save-checkpoints` trained and measured, stored in datasets/pretrained/06-vae/ (model.json +
 * weights.bin, sha256-checked). Notebooks fall back to it when training now would take too long.
 */
import { type CheckpointInfo, loadModel, readCheckpointInfo, saveCheckpoint } from "../nn/checkpoint";
import { repoPath } from "../paths";
import { Rng } from "../random";
import { type ConvVaeConfig, ConvVae } from "./model";

/** Where the checkpoint lives, relative to the repository root. */
export const VAE_CHECKPOINT_DIR = "datasets/pretrained/06-vae";
/** The `kind` recorded in its model.json. */
export const VAE_CHECKPOINT_KIND = "conv-vae";
/** The command that rebuilds it. */
export const VAE_RETRAIN_COMMAND = "npm run quality -- 06 --save-checkpoints --json /tmp/q06.json";

/** Save `model` as a checkpoint in `dir` (default: the lesson's); returns what model.json holds. */
export function saveVae(
  model: ConvVae, training: Record<string, unknown>, dir = repoPath(VAE_CHECKPOINT_DIR),
): CheckpointInfo<ConvVaeConfig> {
  return saveCheckpoint(dir, VAE_CHECKPOINT_KIND, model.config, model.params, training, VAE_RETRAIN_COMMAND);
}

/** How the checkpoint in `dir` was made (config, seed, steps, seconds, metrics), without loading it. */
export function pretrainedVaeInfo(dir = repoPath(VAE_CHECKPOINT_DIR)): CheckpointInfo<ConvVaeConfig> {
  return readCheckpointInfo<ConvVaeConfig>(dir, VAE_CHECKPOINT_KIND);
}

/** The VAE stored in `dir` (default: the committed one). The caller disposes it. */
export function loadPretrainedVae(dir = repoPath(VAE_CHECKPOINT_DIR)): ConvVae {
  return loadModel<ConvVaeConfig, ConvVae>(dir, VAE_CHECKPOINT_KIND, (config) => new ConvVae(config, new Rng(0))).model;
}
