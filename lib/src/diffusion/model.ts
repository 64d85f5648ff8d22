/**
 * The diffusion model as one image generator (nn/generator.ts): the denoiser being trained, its
 * exponential moving average (EMA, what samples and what a checkpoint keeps), the noise schedule
 * and the run's sampler settings. The maths lives in unet.ts, train.ts and sample.ts; this class
 * only holds them together under the contract the VAE and the GAN keep too.
 */
import { type CheckpointInfo, loadCheckpoint, saveCheckpoint } from "../nn/checkpoint";
import type { ImageGenerator } from "../nn/generator";
import { type MnistBatch, fromSigned, toSigned } from "../nn/mnist-batches";
import type { Params } from "../nn/params";
import { Rng } from "../random";
import { tf } from "../tf";
import type { DiffusionRun } from "./presets";
import { balancedDigits } from "./prompt";
import { sampleMany } from "./sample";
import { type NoiseSchedule, noiseSchedule } from "./schedule";
import { diffusionLoss } from "./train";
import { DiffusionUnet } from "./unet";

/** The `kind` a diffusion checkpoint's model.json records. */
export const DIFFUSION_CHECKPOINT_KIND = "diffusion-unet";
/** The command that rebuilds the lesson's checkpoint. */
export const DIFFUSION_RETRAIN = "npm run quality -- 08 --save-checkpoints --json /tmp/q08.json";

export class DiffusionModel implements ImageGenerator<DiffusionRun> {
  readonly kind = DIFFUSION_CHECKPOINT_KIND;
  /** The denoiser the optimiser trains. */
  readonly unet: DiffusionUnet;
  /** Its moving average, starting from the same weights: what samples and what is saved. */
  readonly ema: DiffusionUnet;
  readonly schedule: NoiseSchedule;

  /** A new model for `config` (the whole run: U-Net, schedule, training, sampler), weights from `rng`. */
  constructor(readonly config: DiffusionRun, rng: Rng) {
    this.unet = new DiffusionUnet(config.model, rng);
    this.ema = new DiffusionUnet(config.model, rng).copyWeightsFrom(this.unet);
    this.schedule = noiseSchedule(config.schedule.kind, config.schedule.steps);
  }

  /** The EMA's parameters: what a checkpoint saves and loads. */
  get params(): Params {
    return this.ema.params;
  }

  /** The denoiser's variables (what trainDiffusion's optimiser trains). */
  get variables(): tf.Variable[] {
    return this.unet.params.vars;
  }

  /** The noise-prediction loss of a batch (t, ε and the label dropout drawn from `rng`). */
  loss(batch: MnistBatch, rng: Rng): tf.Scalar {
    return tf.tidy(() => diffusionLoss(this.unet, this.schedule, toSigned(batch.images), batch.digits, rng, this.config.train));
  }

  /** `n` images in [0, 1] with the run's sampler and guidance, digits 0, 1, …, 9, 0, … asked for.  → [n, 28, 28, 1] */
  sample(n: number, rng: Rng): tf.Tensor4D {
    const { sampleSteps: steps, guidance, sampleMethod: method } = this.config;
    const signed = sampleMany(this.ema, this.schedule, balancedDigits(n), rng, { steps, guidance, method }); // [n, 28, 28, 1] in [−1, 1]
    try {
      return fromSigned(signed);
    } finally {
      signed.dispose();
    }
  }

  /** Save the EMA weights with the run as a checkpoint in `dir`. */
  save(dir: string, training: Record<string, unknown>): CheckpointInfo<DiffusionRun> {
    return saveCheckpoint(dir, this.kind, this.config, this.ema.params, training, DIFFUSION_RETRAIN);
  }

  dispose(): void {
    this.unet.dispose();
    this.ema.dispose();
  }
}

/** The DiffusionModel stored in `dir` (sha256-checked); denoiser and EMA both start at its weights. */
export function loadDiffusionModel(dir: string): DiffusionModel {
  const { info, values } = loadCheckpoint<DiffusionRun>(dir, DIFFUSION_CHECKPOINT_KIND);
  const model = new DiffusionModel(info.config, new Rng(0)); // any seed: the weights are replaced
  try {
    model.ema.params.assign(values);
    model.unet.copyWeightsFrom(model.ema);
  } catch (err) {
    model.dispose();
    throw err;
  }
  return model;
}
