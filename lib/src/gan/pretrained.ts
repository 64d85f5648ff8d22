/**
 * The committed GAN checkpoint (datasets/pretrained/07-gan): the conditional GAN that
 * `npm run quality -- 07 --save-checkpoints` trained and measured, both players. Notebooks load
 * it in smoke mode, or when a learner wants good digits without waiting for training.
 */
import { loadModel, readCheckpointInfo } from "../nn";
import { repoPath } from "../paths";
import { Rng } from "../random";
import type { GanConfig } from "./config";
import { GAN_KIND, Gan } from "./gan";

/** Where the checkpoint lives, relative to the repository root. */
export const GAN_PRETRAINED_DIR = "datasets/pretrained/07-gan";

/** Save both players of `gan` (and how they were trained) as a checkpoint in `dir`. */
export function saveGan(gan: Gan, training: Record<string, unknown>, dir = repoPath(GAN_PRETRAINED_DIR)): void {
  gan.save(dir, training);
}

/** The GAN's config and training record, without loading the weights. */
export function pretrainedGanInfo(dir = repoPath(GAN_PRETRAINED_DIR)) {
  return readCheckpointInfo<GanConfig>(dir, GAN_KIND);
}

/** A Gan built from the checkpoint in `dir` (default: the committed one), sha256-checked. */
export function loadPretrainedGan(dir = repoPath(GAN_PRETRAINED_DIR)): Gan {
  return loadModel<GanConfig, Gan>(dir, GAN_KIND, (config) => new Gan(config, new Rng(0))).model;
}
