/**
 * Re-score the committed image-generator checkpoints (datasets/pretrained/) the way their quality
 * runs scored them when they were saved, and print the recorded FID beside the new one:
 *
 *   npx tsx scripts/rescore-pretrained.ts [06] [07] [08]
 *
 * Each loads through `loadGenerator` (sha256-checked) and draws n = 1000 samples with its run's
 * `sample` stream, scored against the same 1,000 training images (FID and KID in the course
 * classifier's feature space). The GAN's recorded FID was drawn from seed 2024 before the runs
 * had named streams; it is re-measured with that seed and with the run's `sample` stream.
 */
import {
  type ImageGenerator, type Rng, Rng as Generator, loadClassifier, loadGenerator, readCheckpointInfo, repoPath, sampleMnist,
  scoreImages, seeds, setup, tf,
} from "@course/lib";

const N = 1000;
const CHECKPOINTS: Record<string, string> = { "06": "06-vae", "07": "07-gan", "08": "08-diffusion" };

function fidOf(model: ImageGenerator, rng: Rng, reference: tf.Tensor4D): { fid: number; kid: number; seconds: number } {
  const clf = loadClassifier();
  const t0 = performance.now();
  const samples = model.sample(N, rng); //                                    [N, 28, 28, 1] in [0, 1]
  const seconds = (performance.now() - t0) / 1000;
  const s = scoreImages(clf, samples, reference, { seed: 0 });
  tf.dispose(samples);
  clf.dispose();
  return { fid: s.fid, kid: s.kid, seconds };
}

async function main(ids: string[]): Promise<void> {
  const { backend } = await setup({ quiet: true });
  const reference = sampleMnist("train", N, 1); // realFloor(…, 0)'s training side, as the quality runs use
  for (const id of ids.length ? ids : Object.keys(CHECKPOINTS)) {
    const dir = repoPath("datasets/pretrained", CHECKPOINTS[id]!);
    const training = readCheckpointInfo<unknown>(dir, "").training as { seed: number; fid?: number; metrics?: { fid: number } };
    const recorded = training.metrics?.fid ?? training.fid;
    const model = loadGenerator(dir);
    const draws: [string, Rng][] = [[`seeds(${training.seed}).sample`, seeds(training.seed).sample]];
    if (id === "07") draws.unshift(["new Rng(2024) (as recorded)", new Generator(2024)]);
    for (const [what, rng] of draws) {
      const s = fidOf(model, rng, reference);
      console.log(`${id} ${model.kind}: recorded FID ${recorded?.toFixed(3)} · now ${s.fid.toFixed(3)} (KID ${s.kid.toFixed(3)}), ` +
        `${N} samples from ${what} in ${s.seconds.toFixed(1)} s on ${backend}`);
    }
    model.dispose();
  }
  reference.dispose();
}

await main(process.argv.slice(2));
