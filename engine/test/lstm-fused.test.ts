/**
 * lstmSequence (engine/src/fused/lstm.ts) against the composition it replaces, the library's
 * lstmUnroll loop of lstmGates run by tfjs on the cpu backend: the outputs (every h, the final h
 * and c) and the gradients with respect to xz, Wh, h0 and c0, relative error ≤ 1e-4 — on cpu, on
 * wasm with its fused kernels (the speed work on) and on wasm without them (where the seam runs
 * the plain loop); odd sizes, T = 1; no leaked tensors or wasm heap blocks; LstmLM through the seam.
 */
import { describe, expect, it } from "vitest";
import { EngineError, fusedWasmActive, lstmSequence, setWasmSpeedups } from "@course/engine";
import { LstmLM, type LstmParams, Rng, lstmGates, lstmUnroll, tf } from "@course/lib";
import { outputAndGrads, randomData, relErr, useFusedWasm, type Fn } from "./helpers/wasm-vs-cpu.ts";

type T2 = tf.Tensor2D;
type T3 = tf.Tensor3D;
const TOLERANCE = 1e-4;

/** Everything an LSTM layer returns, as one flat tensor: hs, then the final h and c. */
const flat = (r: { hs: T3; state: { h: T2; c: T2 } }): tf.Tensor =>
  tf.concat([r.hs.reshape([-1]), r.state.h.reshape([-1]), r.state.c.reshape([-1])]);

/** The reference: lstmUnroll's loop, on xz = the input part of the gates of every step. */
const reference: Fn = (xz, Wh, h0, c0) => {
  let s = { h: h0 as T2, c: c0 as T2 };
  const hs: T2[] = [];
  const [B, T, H4] = xz!.shape as [number, number, number];
  const steps = T === 1 ? [xz!.reshape([B, H4]) as T2] : tf.unstack(xz as T3, 1) as T2[]; // unstack's gradient fails for T = 1
  for (const zx of steps) {
    s = lstmGates(zx.add(s.h.matMul(Wh as T2)) as T2, s.c);
    hs.push(s.h);
  }
  return flat({ hs: tf.stack(hs, 1) as T3, state: s });
};

/** The fused layer where the seam would run it, the reference elsewhere. */
const fused: Fn = (xz, Wh, h0, c0) =>
  fusedWasmActive() ? flat(lstmSequence(xz as T3, Wh as T2, h0 as T2, c0 as T2)) : reference(xz!, Wh!, h0!, c0!);

const shapes = (B: number, T: number, H: number) => [[B, T, 4 * H], [H, 4 * H], [B, H], [B, H]];

/** Worst relative error of lstmSequence on `backend` against the reference on cpu. */
async function errorOn(backend: "cpu" | "wasm", s: number[][]): Promise<number> {
  const data = randomData(s, 7);
  await tf.setBackend("cpu");
  const want = outputAndGrads(reference, s, data);
  await tf.setBackend(backend);
  const got = outputAndGrads(fused, s, data);
  expect(got.length).toBe(5); // output + 4 gradients
  return Math.max(...want.map((w, i) => relErr(got[i] as Float32Array, w)));
}

useFusedWasm();

describe("lstmSequence equals lstmUnroll's composition (values and gradients)", () => {
  const sizes: Array<[string, number, number, number]> = [
    ["odd sizes B 3, T 5, H 7", 3, 5, 7],
    ["one step, T 1", 2, 1, 3],
    ["one row, B 1", 1, 4, 5],
    ["lesson-sized B 4, T 16, H 32", 4, 16, 32],
    ["H a multiple of 4 (the SIMD passes), B 3, T 2, H 8", 3, 2, 8],
  ];
  it.each(sizes)("%s: wasm, fused kernels", async (_, B, T, H) => {
    expect(tf.getKernel("CourseLstmForward", "wasm"), "fused kernels registered").toBeDefined();
    expect(await errorOn("wasm", shapes(B, T, H))).toBeLessThanOrEqual(TOLERANCE);
  });
  it.each(sizes)("%s: wasm, GENAI_WASM_SPEEDUPS off (composed ops)", async (_, B, T, H) => {
    setWasmSpeedups(false);
    expect(tf.getKernel("CourseLstmForward", "wasm"), "fused kernels removed").toBeUndefined();
    expect(await errorOn("wasm", shapes(B, T, H))).toBeLessThanOrEqual(TOLERANCE);
  });
  it.each(sizes)("%s: cpu", async (_, B, T, H) => {
    expect(await errorOn("cpu", shapes(B, T, H))).toBeLessThanOrEqual(TOLERANCE);
  });
});

describe("lstmSequence on wasm", () => {
  it("runs two kernels for the layer instead of dozens per step", async () => {
    const [xz, Wh, h0, c0] = randomData(shapes(3, 8, 7), 3).map((d, i) => tf.tensor(d, shapes(3, 8, 7)[i]));
    const count = async () => {
      const info = await tf.profile(() => tf.grads((...xs: tf.Tensor[]) => tf.sum(fused(...xs)))([xz!, Wh!, h0!, c0!]));
      tf.dispose(info.result as tf.Tensor[]);
      return info.kernels.length;
    };
    const withFused = await count();
    setWasmSpeedups(false);
    const composed = await count();
    tf.dispose([xz!, Wh!, h0!, c0!]);
    expect(withFused).toBeLessThan(60); // 2 LSTM kernels, the rest is the slices, sum and reshapes around them
    expect(composed).toBeGreaterThan(8 * 30); // some 70 per step (43 against 557 when this was written)
  });

  it("GENAI_WASM_FUSED=0 switches LstmLM to lstmUnroll's composed ops, with the same values", async () => {
    const s = shapes(3, 5, 7);
    const model = new LstmLM({ vocabSize: 5, blockSize: 4, embeddingSize: 3, hiddenSize: 4 }, new Rng(1));
    const ids = tf.tensor2d([[1, 2, 3, 4]], [1, 4], "int32");
    const kernels = async () => (await tf.profile(() => tf.dispose(model.logits(ids)))).kernels.map((k) => k.name);
    expect(await kernels()).toContain("CourseLstmForward");
    process.env.GENAI_WASM_FUSED = "0";
    try {
      expect(await kernels()).not.toContain("CourseLstmForward");
      tf.dispose(ids);
      model.dispose();
      expect(await errorOn("wasm", s)).toBeLessThanOrEqual(TOLERANCE);
    } finally {
      delete process.env.GENAI_WASM_FUSED;
    }
  });

  it("leaks no tensors or heap blocks, with and without a gradient", () => {
    const s = shapes(3, 5, 7);
    const data = randomData(s, 5);
    const backend = tf.backend();
    outputAndGrads(fused, s, data); // warm-up: kernels' one-time setup
    const [tensors, blocks] = [tf.memory().numTensors, backend.numDataIds()];
    outputAndGrads(fused, s, data);
    outputAndGrads(fused, s, data, true);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(backend.numDataIds()).toBe(blocks);
  });

  it("LstmLM.run (fused) equals lstmUnroll on cpu, logits and the gradients of all parameters", async () => {
    const config = { vocabSize: 11, blockSize: 6, embeddingSize: 5, hiddenSize: 9 };
    const idx = [[1, 2, 3, 4, 5, 6], [10, 9, 0, 3, 3, 7], [4, 4, 4, 1, 0, 2]];
    const run = (viaUnroll: boolean) => tf.tidy(() => {
      const model = new LstmLM(config, new Rng(4));
      const ids = tf.tensor2d(idx, [3, 6], "int32");
      const loss = () => {
        if (!viaUnroll) return tf.sum(tf.sin(model.run(ids).logits));
        const emb = tf.gather(model.params.C as tf.Tensor, ids) as T3;
        const h0 = tf.zeros([3, 9]) as T2;
        const hs = lstmUnroll(model.params as LstmParams, emb, { h: h0, c: h0 }).hs;
        return tf.sum(tf.sin(hs.reshape([18, 9]).matMul(model.params.Wout).add(model.params.bout)));
      };
      const { value, grads } = tf.variableGrads(loss as () => tf.Scalar, model.variables);
      const out = [value, ...model.variables.map((v) => grads[v.name] as tf.Tensor)].map((t) => t.dataSync());
      model.dispose();
      return out;
    });
    await tf.setBackend("cpu");
    const want = run(true);
    await tf.setBackend("wasm");
    const got = run(false);
    want.forEach((w, i) => expect(relErr(got[i]!, w), `output ${i}`).toBeLessThanOrEqual(TOLERANCE));
  });

  it("says which shape it expected", () => {
    const [xz, Wh, h] = [tf.zeros([2, 3, 8]) as T3, tf.zeros([3, 8]) as T2, tf.zeros([2, 2]) as T2];
    expect(() => lstmSequence(xz, Wh, h, h)).toThrow(EngineError);
    const odd = tf.zeros([2, 3, 6]) as T3;
    expect(() => lstmSequence(odd, Wh, h, h)).toThrow(/4H/);
    tf.dispose([xz, Wh, h, odd]);
  });
});
