import { describe, expect } from "vitest";
import { exercisesOf, expectClose, graded, probe, probeTargetOnly } from "../harness/index.ts";

const probes = new URL("../probes/06-vae.ts", import.meta.url);
const ex = exercisesOf("06", "notebooks/06-vae.ipynb");

const coder = ex("encoder-decoder", 2, "2. A convolutional encoder and decoder");
const trick = ex("reparameterise", 1, "4. The reparameterisation trick");
const kl = ex("kl-divergence", 1, "5. How far from the prior: the KL term");
const bound = ex("elbo", 2, "6. The ELBO");
const path = ex("interpolate", 2, "10. Walking through the latent space");

type T = { shape: number[]; dtype: string; data: number[] };

describe("lesson 06: variational autoencoders", () => {
  graded(coder, "encode and decode with seeded layers match the reference", async () => {
    const r = await probe<{ mu: T; logVar: T; logits: T }>("06", probes, "encoderDecoder", { B: 3, Z: 4, channels: [3, 5], seed: 11 });
    expectClose(r.actual.mu, r.expected.mu, { rtol: 1e-4, atol: 1e-5, what: "encode(layers, x [3, 28, 28, 1]).mu [3, 4]" });
    expectClose(r.actual.logVar, r.expected.logVar, { rtol: 1e-4, atol: 1e-5, what: "encode(…).logVar [3, 4] (the last Z columns of stats)" });
    expectClose(r.actual.logits, r.expected.logits, { rtol: 1e-4, atol: 1e-5, what: "decode(layers, z [3, 4]) → logits [3, 28, 28, 1]" });
  });
  graded(coder, "equal the library's ConvVae.encode and decode for other sizes; no leaks", async () => {
    const r = await probeTargetOnly<{ mu: T; logVar: T; logits: T; libraryMu: T; libraryLogVar: T; libraryLogits: T }>(
      "06", probes, "encoderDecoder", { B: 2, Z: 3, channels: [4, 6], seed: 5 });
    expectClose(r.actual.mu, r.actual.libraryMu, { rtol: 1e-4, atol: 1e-5, what: "mu vs ConvVae.encode (relu after both convolutions?)" });
    expectClose(r.actual.logVar, r.actual.libraryLogVar, { rtol: 1e-4, atol: 1e-5, what: "logVar vs ConvVae.encode" });
    expectClose(r.actual.logits, r.actual.libraryLogits, { rtol: 1e-4, atol: 1e-5, what: "logits vs ConvVae.decode (no sigmoid at the end)" });
    expect(r.leakedTensors, "tensors left allocated by encode and decode").toBe(0);
  });

  graded(trick, "z matches the reference on seeded mu, logVar and eps", async () => {
    const r = await probe<{ z: T }>("06", probes, "reparameterise", { B: 5, Z: 7, seed: 3 });
    expectClose(r.actual.z, r.expected.z, { rtol: 1e-5, atol: 1e-6, what: "reparameterise(mu, logVar, eps) [5, 7]" });
  });
  graded(trick, "gradients reach mu and logVar (∂z/∂logVar = ½·σ·eps); no leaks", async () => {
    const r = await probe<{ dMu: T; dLogVar: T }>("06", probes, "reparameterise", { B: 4, Z: 3, seed: 8 });
    expectClose(r.actual.dMu, r.expected.dMu, { rtol: 1e-5, atol: 1e-6, what: "∂(Σ z·w)/∂mu" });
    expectClose(r.actual.dLogVar, r.expected.dLogVar, { rtol: 1e-4, atol: 1e-6, what: "∂(Σ z·w)/∂logVar (σ = exp(½·logVar), not exp(logVar))" });
    expect(r.leakedTensors, "tensors left allocated by reparameterise").toBe(0);
  });

  graded(kl, "KL per image matches the reference", async () => {
    const r = await probe<{ kl: T }>("06", probes, "kl", { B: 6, Z: 5, seed: 4 });
    expectClose(r.actual.kl, r.expected.kl, { rtol: 1e-5, atol: 1e-5, what: "klDivergence(mu, logVar [6, 5]) → [6]" });
  });
  graded(kl, "is 0 at the prior, positive elsewhere, equals the library's; no leaks", async () => {
    const r = await probeTargetOnly<{ kl: T; atPrior: T; library: T }>("06", probes, "kl", { B: 8, Z: 3, seed: 9 });
    expect(r.actual.kl.shape, "one KL per image: [B]").toEqual([8]);
    expectClose(r.actual.atPrior, { shape: [2], dtype: "float32", data: [0, 0] }, { rtol: 0, atol: 1e-6, what: "KL(N(0, 1) ‖ N(0, 1))" });
    r.actual.kl.data.forEach((v, i) => expect(v, `KL of image ${i}`).toBeGreaterThan(0));
    expectClose(r.actual.kl, r.actual.library, { rtol: 1e-5, atol: 1e-5, what: "klDivergence vs the library's (summed over Z, not averaged?)" });
    expect(r.leakedTensors, "tensors left allocated by klDivergence").toBe(0);
  });

  graded(bound, "the ELBO of a seeded batch matches the reference", async () => {
    const r = await probe<{ elbo: T }>("06", probes, "elbo", { B: 4, Z: 6, seed: 2 });
    expectClose(r.actual.elbo, r.expected.elbo, { rtol: 1e-4, atol: 1e-3, what: "elbo(x, logits, mu, logVar) (summed over pixels, mean over images)" });
  });
  graded(bound, "stays finite and exact for logits of ±100 and beyond; no leaks", async () => {
    const r = await probeTargetOnly<{ elbo: T; library: T }>("06", probes, "elbo", { B: 3, Z: 4, seed: 7, extreme: true });
    expect(Number.isFinite(r.actual.elbo.data[0]), `elbo with huge logits is ${r.actual.elbo.data[0]} (softplus overflowed?)`).toBe(true);
    expectClose(r.actual.elbo, r.actual.library, { rtol: 1e-4, atol: 1e-2, what: "elbo with logits of several hundred vs the library's" });
    expect(r.leakedTensors, "tensors left allocated by elbo").toBe(0);
  });
  graded(bound, "a seeded 40-step training run on your encoder, decoder, trick and ELBO lowers −ELBO like the reference", async () => {
    const r = await probe<{ before: number; check: number; after: number }>("06", probes, "tinyRun", { steps: 40, seed: 3 }, { timeoutMs: 90_000, backend: "wasm" });
    expect(Math.abs(r.actual.check - r.expected.check), `−ELBO of one batch with your functions: ${r.actual.check.toFixed(3)}, reference ${r.expected.check.toFixed(3)}`).toBeLessThan(1e-2);
    expect(Math.abs(r.actual.after - r.expected.after), `test −ELBO after training: ${r.actual.after.toFixed(2)}, reference ${r.expected.after.toFixed(2)}`).toBeLessThan(1);
    expect(r.actual.after, "training should lower −ELBO by 100 nats or more").toBeLessThan(r.actual.before - 100);
    expect(r.leakedTensors, "tensors left allocated by the run").toBe(0);
  }, { timeoutMs: 150_000 });

  graded(path, "linear and spherical paths match the reference", async () => {
    const r = await probe<{ linear: T; spherical: T }>("06", probes, "interpolate", { Z: 8, steps: 7, seed: 6 });
    expectClose(r.actual.linear, r.expected.linear, { rtol: 1e-5, atol: 1e-6, what: "interpolateLinear(z0, z1, 7) [7, 8]" });
    expectClose(r.actual.spherical, r.expected.spherical, { rtol: 1e-4, atol: 1e-5, what: "interpolateSpherical(z0, z1, 7) [7, 8]" });
  });
  graded(path, "paths start at z0, end at z1, equal the library's; parallel codes fall back to the line", async () => {
    const r = await probeTargetOnly<{ linear: T; spherical: T; libraryLinear: T; librarySpherical: T; z0: T; z1: T }>(
      "06", probes, "interpolate", { Z: 5, steps: 4, seed: 12 });
    const a = r.actual, Z = 5;
    expectClose(a.spherical.data.slice(0, Z), a.z0.data, { rtol: 1e-4, atol: 1e-5, what: "first point of the arc vs z0" });
    expectClose(a.spherical.data.slice(-Z), a.z1.data, { rtol: 1e-4, atol: 1e-5, what: "last point of the arc vs z1" });
    expectClose(a.linear, a.libraryLinear, { rtol: 1e-5, atol: 1e-6, what: "interpolateLinear vs lerpLatents" });
    expectClose(a.spherical, a.librarySpherical, { rtol: 1e-4, atol: 1e-5, what: "interpolateSpherical vs slerpLatents" });
    const p = await probeTargetOnly<{ spherical: T; libraryLinear: T }>("06", probes, "interpolate", { Z: 5, steps: 5, seed: 13, parallel: true });
    expectClose(p.actual.spherical, p.actual.libraryLinear, { rtol: 1e-4, atol: 1e-5, what: "interpolateSpherical(z0, 2.5·z0, 5): θ = 0, the straight line" });
    expect(r.leakedTensors + p.leakedTensors, "tensors left allocated").toBe(0);
  });
});
