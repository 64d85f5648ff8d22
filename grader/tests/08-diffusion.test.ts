import { describe, expect } from "vitest";
import { exercisesOf, expectClose, graded, probe, probeTargetOnly } from "../harness/index.ts";

const probes = new URL("../probes/08-diffusion.ts", import.meta.url);
const ex = exercisesOf("08", "notebooks/08-diffusion.ipynb");

const schedule = ex("noise-schedule", 2, "2. The noise schedule");
const qSample = ex("q-sample", 2, "3. Noising in one jump");
const ddpm = ex("ddpm-step", 2, "5. DDPM: ancestral sampling");
const ddim = ex("ddim-step", 3, "6. DDIM: fewer, deterministic steps");
const guidance = ex("guidance", 2, "7. Classifier-free guidance");

type T = { shape: number[]; dtype: string; data: number[] };

describe("lesson 08: diffusion", () => {
  graded(schedule, "alphas and alphaBar of seeded betas match the reference", async () => {
    const r = await probe<{ alphas: number[]; alphaBar: number[] }>("08", probes, "schedule", { T: 40, seed: 3 });
    expectClose(r.actual.alphas, r.expected.alphas, { rtol: 1e-9, atol: 1e-12, what: "alphas = 1 − betas" });
    expectClose(r.actual.alphaBar, r.expected.alphaBar, { rtol: 1e-9, atol: 1e-12, what: "alphaBar (running product of the alphas)" });
  });
  graded(schedule, "alphaBar starts at 1 − β_0, falls at every step and equals the library's", async () => {
    const r = await probeTargetOnly<{ alphas: number[]; alphaBar: number[]; libraryAlphaBar: number[] }>("08", probes, "schedule", { T: 200, seed: 5 });
    const ab = r.actual.alphaBar;
    expect(ab.length, "alphaBar has one value per beta").toBe(200);
    expect(Math.abs(ab[0]! - r.actual.alphas[0]!), "alphaBar[0] = alphas[0]").toBeLessThan(1e-12);
    ab.slice(1).forEach((v, i) => expect(v, `alphaBar[${i + 1}] < alphaBar[${i}]`).toBeLessThan(ab[i]!));
    expectClose(ab, r.actual.libraryAlphaBar, { rtol: 1e-9, atol: 1e-12, what: "alphaBar vs the library's alphasFromBetas" });
  });

  graded(qSample, "x_t of seeded images, noise and ᾱ matches the reference", async () => {
    const r = await probe<{ out: T }>("08", probes, "qSample", { shape: [3, 5, 4, 1], seed: 4 });
    expectClose(r.actual.out, r.expected.out, { rtol: 1e-5, atol: 1e-6, what: "qSample(x0 [3, 5, 4, 1], noise, alphaBar)" });
  });
  graded(qSample, "ᾱ = 1 gives x_0, ᾱ = 0 gives the noise, it equals the library's; no leaks", async () => {
    const r = await probeTargetOnly<{ out: T; library: T; x0: T; noise: T }>("08", probes, "qSample", { shape: [2, 6, 6, 1], seed: 7, alphaBar: [1, 0] });
    const half = r.actual.out.data.length / 2;
    expectClose(r.actual.out.data.slice(0, half), r.actual.x0.data.slice(0, half), { rtol: 0, atol: 1e-6, what: "image 0 (ᾱ = 1) vs x_0" });
    expectClose(r.actual.out.data.slice(half), r.actual.noise.data.slice(half), { rtol: 0, atol: 1e-6, what: "image 1 (ᾱ = 0) vs the noise" });
    const s = await probeTargetOnly<{ out: T; library: T }>("08", probes, "qSample", { shape: [4, 7, 7, 2], seed: 9 });
    expectClose(s.actual.out, s.actual.library, { rtol: 1e-5, atol: 1e-6, what: "qSample vs the library's (√ᾱ on x_0, √(1 − ᾱ) on ε)" });
    expect(s.leakedTensors, "tensors left allocated by qSample").toBe(0);
  });
  graded(qSample, "x_t has mean √ᾱ·x_0 and variance 1 − ᾱ", async () => {
    const r = await probeTargetOnly<{ mean: number; variance: number }>("08", probes, "qStats", { alphaBar: 0.36, seed: 2 });
    expect(Math.abs(r.actual.mean - 0.3), `mean of x_t ${r.actual.mean.toFixed(3)}, expected √0.36·0.5 = 0.3`).toBeLessThan(0.02);
    expect(Math.abs(r.actual.variance - 0.64), `variance of x_t ${r.actual.variance.toFixed(3)}, expected 1 − 0.36 = 0.64`).toBeLessThan(0.03);
  });

  graded(ddpm, "one ancestral step on seeded x_t, ε̂ and z matches the reference", async () => {
    const r = await probe<{ out: T; mean: T }>("08", probes, "ddpm", { shape: [3, 6, 6, 1], seed: 4, alphaBarT: 0.2, alphaBarPrev: 0.35 });
    expectClose(r.actual.out, r.expected.out, { rtol: 1e-4, atol: 1e-5, what: "ddpmUpdate(x_t, ε̂, 0.2, 0.35, z)" });
    expectClose(r.actual.mean, r.expected.mean, { rtol: 1e-4, atol: 1e-5, what: "ddpmUpdate(…, z = 0): the posterior mean" });
  });
  graded(ddpm, "noise enters as σ·z, the last step (ᾱ_prev = 1) returns x̂_0, it equals the library's; no leaks", async () => {
    const r = await probeTargetOnly<{ out: T; mean: T; library: T; last: T; lastDdim: T; z: T }>("08", probes, "ddpm", { shape: [2, 5, 5, 1], seed: 9, alphaBarT: 0.05, alphaBarPrev: 0.1 });
    const sigma = Math.sqrt((1 - 0.05 / 0.1) * (1 - 0.1) / (1 - 0.05));
    const expected = r.actual.mean.data.map((m, i) => m + sigma * r.actual.z.data[i]!);
    expectClose(r.actual.out.data, expected, { rtol: 1e-4, atol: 1e-4, what: "out vs mean + σ·z with σ² = β·(1 − ᾱ_prev)/(1 − ᾱ_t)" });
    expectClose(r.actual.last, r.actual.lastDdim, { rtol: 1e-4, atol: 1e-5, what: "ddpmUpdate(…, ᾱ_prev = 1, z) vs the clipped x̂_0 (no noise at the end)" });
    expectClose(r.actual.out, r.actual.library, { rtol: 1e-4, atol: 1e-5, what: "ddpmUpdate vs the library's ddpmStep" });
    expect(r.leakedTensors, "tensors left allocated by ddpmUpdate").toBe(0);
  });

  graded(ddim, "one DDIM step on seeded x_t and ε̂ matches the reference", async () => {
    const r = await probe<{ out: T; toX0: T }>("08", probes, "ddim", { shape: [3, 6, 6, 1], seed: 4, alphaBarT: 0.3, alphaBarPrev: 0.7 });
    expectClose(r.actual.out, r.expected.out, { rtol: 1e-4, atol: 1e-5, what: "ddimUpdate(x_t, ε̂, 0.3, 0.7)" });
    expectClose(r.actual.toX0, r.expected.toX0, { rtol: 1e-4, atol: 1e-5, what: "ddimUpdate(x_t, ε̂, 0.3, 1): the clipped x̂_0" });
  });
  graded(ddim, "with the true noise it lands on q(x_prev | x_0); ᾱ_prev = 1 gives x̂_0 in [−1, 1]; no leaks", async () => {
    const r = await probeTargetOnly<{ out: T; library: T; exact: T; target: T; toX0: T }>("08", probes, "ddim", { shape: [2, 5, 5, 1], seed: 8, alphaBarT: 0.1, alphaBarPrev: 0.5 });
    expectClose(r.actual.exact, r.actual.target, { rtol: 1e-4, atol: 1e-4, what: "a step with the true ε vs √ᾱ_prev·x_0 + √(1 − ᾱ_prev)·ε" });
    expect(Math.max(...r.actual.toX0.data.map(Math.abs)), "x̂_0 is clipped to [−1, 1]").toBeLessThanOrEqual(1 + 1e-6);
    expectClose(r.actual.out, r.actual.library, { rtol: 1e-4, atol: 1e-5, what: "ddimUpdate vs the library's ddimStep (clip x̂_0, recompute ε̂)" });
    expect(r.leakedTensors, "tensors left allocated by ddimUpdate").toBe(0);
  });
  graded(ddim, "a seeded 4-step DDIM run of a tiny U-Net with your step equals the library's sampler", async () => {
    const r = await probeTargetOnly<{ out: T; library: T }>("08", probes, "ddimRun", { seed: 6, steps: 4 }, { timeoutMs: 60_000, backend: "wasm" });
    expect(r.actual.out.shape, "samples [3, 28, 28, 1]").toEqual([3, 28, 28, 1]);
    expectClose(r.actual.out, r.actual.library, { rtol: 1e-3, atol: 1e-4, what: "4 DDIM steps with ddimUpdate vs sampleImages" });
    expect(r.leakedTensors, "tensors left allocated by the run").toBe(0);
  }, { timeoutMs: 90_000 });

  graded(guidance, "guided ε̂ on seeded predictions matches the reference", async () => {
    const r = await probe<{ out: T }>("08", probes, "guidance", { shape: [2, 4, 4, 1], seed: 5, w: 3 });
    expectClose(r.actual.out, r.expected.out, { rtol: 1e-5, atol: 1e-6, what: "guide(ε_c, ε_u, 3)" });
  });
  graded(guidance, "w = 1 gives ε_c, w = 0 gives ε_u, it equals the library's; no leaks", async () => {
    const r = await probeTargetOnly<{ out: T; atOne: T; atZero: T; library: T; cond: T; uncond: T }>("08", probes, "guidance", { shape: [3, 5, 5, 1], seed: 11, w: 2.5 });
    expectClose(r.actual.atOne, r.actual.cond, { rtol: 0, atol: 1e-6, what: "guide(ε_c, ε_u, 1) vs ε_c" });
    expectClose(r.actual.atZero, r.actual.uncond, { rtol: 0, atol: 1e-6, what: "guide(ε_c, ε_u, 0) vs ε_u" });
    expectClose(r.actual.out, r.actual.library, { rtol: 1e-5, atol: 1e-6, what: "guide vs the library's classifierFreeGuidance (ε_u + w·(ε_c − ε_u))" });
    expect(r.leakedTensors, "tensors left allocated by guide").toBe(0);
  });
});
