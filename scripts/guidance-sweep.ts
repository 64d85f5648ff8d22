/**
 * FID of the pretrained diffusion model (datasets/pretrained/08-diffusion) against the guidance
 * weight w and the sampler, as lesson 08's quality run scores it: n class-balanced samples
 * (the prompts "zero" … "nine"), the committed classifier's features, n training images as the
 * reference, and the real-vs-real floor at the same n; also the fraction of samples the
 * classifier reads as the digit their prompt asked for.
 *
 *   npx tsx scripts/guidance-sweep.ts                          w = 1, 1.25, 1.5, 2; 40 DDPM steps
 *   npx tsx scripts/guidance-sweep.ts --w 1.25 --steps 20,40,100 --method ddim --n 500
 *
 * Each setting costs one sampling pass (about 30 s for 1000 images at w = 1 on one core, twice
 * that with guidance, which runs the network on [x; x]).
 */
import { parseArgs } from "node:util";
import {
  balancedDigits, classifierAccuracy, fromSigned, loadClassifier, loadPretrainedDiffusion, markdownTable, noiseSchedule, realFloor,
  sampleMany, sampleMnist, scoreImages, seeds, setup, tf,
} from "@course/lib";

const { values: args } = parseArgs({
  options: {
    w: { type: "string", default: "1,1.25,1.5,2" },
    steps: { type: "string", default: "40" },
    method: { type: "string", default: "ddpm" },
    n: { type: "string", default: "1000" },
  },
});
const numbers = (s: string): number[] => s.split(",").map(Number);
const weights = numbers(args.w), stepCounts = numbers(args.steps), n = Number(args.n);
const method = args.method === "ddim" ? "ddim" : "ddpm";
if ([...weights, ...stepCounts, n].some((x) => !Number.isFinite(x) || x < 0)) {
  throw new Error("--w, --steps and --n take comma-separated non-negative numbers, e.g. --w 1,1.5 --steps 40");
}

const info = await setup({ seed: 42, quiet: true });
const { model, run } = loadPretrainedDiffusion();
const schedule = noiseSchedule(run.schedule.kind, run.schedule.steps);
const clf = loadClassifier();
const reference = sampleMnist("train", n, 1);
const floor = realFloor(clf, n, 0).fid;
console.log(`backend ${info.backend} (${info.device}); n = ${n}; floor FID ${floor.toFixed(2)}`);
const rows: Record<string, string>[] = [];
for (const steps of stepCounts) {
  for (const w of weights) {
    const t0 = performance.now();
    const signed = sampleMany(model, schedule, balancedDigits(n), seeds(run.seed).sample, { steps, guidance: w, method });
    const images = fromSigned(signed);
    const s = scoreImages(clf, images, reference, { seed: 0 });
    const asked = classifierAccuracy(clf, images, Uint8Array.from(balancedDigits(n)));
    tf.dispose([signed, images]);
    const seconds = (performance.now() - t0) / 1000;
    const row = { sampler: method, steps: String(steps), w: String(w), FID: s.fid.toFixed(2), "FID / floor": (s.fid / floor).toFixed(2), KID: s.kid.toFixed(1), "read as asked": asked.toFixed(3), seconds: seconds.toFixed(0) };
    rows.push(row);
    console.log(Object.values(row).join("  "));
  }
}
console.log(markdownTable(rows));
tf.dispose(reference);
clf.dispose();
model.dispose();
