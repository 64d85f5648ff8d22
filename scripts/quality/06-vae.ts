/**
 * Lesson 06 quality: the notebook's full run of the latent-16 convolutional VAE (VAE_RUNS.full:
 * seed 42, batches of 64 from all 60,000 training images, Adam with a cosine decay, stopped after
 * 240 s of training or 6,000 steps), trained from scratch, then measured:
 *
 * - `test_neg_elbo`: −ELBO in nats per image on all 10,000 MNIST test images (Bernoulli
 *   likelihood on grey levels in [0, 1], as in Kingma & Welling's MNIST experiments; one draw of
 *   ε per image, seeded), with its two terms `test_reconstruction` (−log p(x | z)) and `test_kl`.
 * - `fid`, `kid` (± `kid_std`): 1,000 samples (prior draws z ~ N(0, I) decoded to the mean
 *   image σ(logits)) against 1,000 training images, in the course classifier's feature space;
 *   `fid_floor`, `kid_floor`: MNIST test vs training images at the same n (realFloor). A VAE has
 *   no target here: its numbers are reported as they are.
 * - `recon_fid`: the same FID for the reconstructions of 1,000 test images: how much of the
 *   gap is the decoder's blur rather than codes the prior never visits.
 * - `class_entropy_bits`, `missing_classes`: the classifier's labels for the samples.
 *
 * Writes 06-samples.png (100 samples) next to the JSON report; with --save-checkpoints it also
 * rewrites datasets/pretrained/06-vae/ from this very model.
 */
import { join } from "node:path";
import {
  ConvVae, type Rng, VAE_RUNS, classHistogram, elboOf, imageGrid, loadClassifier, loadMnist, preset, realFloor, repoPath,
  sampleMnist, saveVae, scoreImages, seeds, setup, tf, trainVae, vaeBatches, VAE_CHECKPOINT_DIR, writePng,
} from "@course/lib";
import type { Metrics, QualityContext } from "./types.ts";

/** Samples and real images on each side of FID/KID. */
const N = 1000;

/** FID/KID of the model's samples and reconstructions against N training images, and the floor. */
function imageScores(model: ConvVae, rng: Rng): { metrics: Metrics; grid: Uint8Array } {
  const classifier = loadClassifier();
  const samples = model.sample(N, rng); //                          [N, 28, 28, 1]
  const train = sampleMnist("train", N, 1); // the training side of realFloor(·, N, 0)
  const test = sampleMnist("test", N, 0);
  const recon = model.reconstruct(test); //                                     [N, 28, 28, 1]
  try {
    const s = scoreImages(classifier, samples, train, { seed: 0 });
    const r = scoreImages(classifier, recon, train, { seed: 0 });
    const floor = realFloor(classifier, N, 0);
    const hist = classHistogram(classifier, samples);
    const first = tf.slice(samples, [0, 0, 0, 0], [100, 28, 28, 1]);
    const grid = imageGrid(first, { cols: 10, scale: 2 });
    first.dispose();
    return {
      metrics: {
        fid: s.fid, kid: s.kid, kid_std: s.kidStd, fid_floor: floor.fid, kid_floor: floor.kid, recon_fid: r.fid, recon_kid: r.kid,
        n: N, class_entropy_bits: hist.entropyBits, missing_classes: hist.missing.length,
      },
      grid,
    };
  } finally {
    tf.dispose([samples, train, test, recon]);
    classifier.dispose();
  }
}

export async function measure(context: QualityContext): Promise<Metrics> {
  const { backend } = await setup({ seed: 42, quiet: true });
  const run = preset(VAE_RUNS);
  const streams = seeds(run.seed);
  const model = new ConvVae(run.model, streams.init);
  try {
    const history = await trainVae(model, vaeBatches(run, streams), run, { streams });
    const elbo = elboOf(model, loadMnist("test"), { seed: 0 });
    const { metrics: scores, grid } = imageScores(model, streams.sample);
    writePng(join(context.outDir, "06-samples.png"), grid);
    const metrics: Metrics = {
      test_neg_elbo: elbo.negElbo, test_reconstruction: elbo.reconstruction, test_kl: elbo.kl, test_images: elbo.count,
      ...scores,
      steps: history.loss.length, epochs: history.epochs, train_seconds: history.seconds, parameters: model.parameterCount(),
    };
    if (context.saveCheckpoints) {
      saveVae(model, {
        seed: run.seed, steps: history.loss.length, epochs: history.epochs, batchSize: run.batchSize, seconds: history.seconds,
        backend, run, metrics, measured: "npm run quality -- 06 (scripts/quality/06-vae.ts)",
      }, repoPath(VAE_CHECKPOINT_DIR));
    }
    return metrics;
  } finally {
    model.dispose();
  }
}

/** README cell: test −ELBO, FID/KID against the floor, reconstructions' FID, training. */
export function summary(m: Metrics): string {
  return `test −ELBO ${m.test_neg_elbo?.toFixed(1)} nats/image · FID ${m.fid?.toFixed(1)} (floor ${m.fid_floor?.toFixed(2)}, ` +
    `reconstructions ${m.recon_fid?.toFixed(1)}) · KID ${m.kid?.toFixed(0)} ± ${m.kid_std?.toFixed(0)} at n = ${m.n} · ` +
    `${m.steps} steps (${m.epochs?.toFixed(1)} epochs) in ${m.train_seconds?.toFixed(0)} s`;
}
