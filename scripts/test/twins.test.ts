// Library twins: exercises that re-derive a library function for teaching share its name and
// signature (checked by the type checker below, in `npm run typecheck`), carry a "Library twin"
// line in their doc comment, and compute the same values (checked here on seeded inputs).
import * as lib from "@course/lib";
import { Rng, tf } from "@course/lib";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../jupyter.mjs";
import { checkLibrary } from "../release.ts";
import { allowedInLibrary, findSolutionText, judge } from "../release/solution-text.ts";
import * as s03 from "../../solutions/03-lstm.ts";
import * as s04 from "../../solutions/04-bpe.ts";
import * as s05 from "../../solutions/05-gpt.ts";
import * as s06 from "../../solutions/06-vae.ts";
import * as s07 from "../../solutions/07-gan.ts";
import * as s08 from "../../solutions/08-diffusion.ts";

/** True only when A and B are the same type (parameter names aside). */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
const sameSignatures: Record<string, true> = {
  lstmCell: true as Same<typeof s03.lstmCell, typeof lib.lstmCell>,
  countPairs: true as Same<typeof s04.countPairs, typeof lib.countPairs>,
  mergePair: true as Same<typeof s04.mergePair, typeof lib.mergePair>,
  causalAttention: true as Same<typeof s05.causalAttention, typeof lib.causalAttention>,
  splitHeads: true as Same<typeof s05.splitHeads, typeof lib.splitHeads>,
  mergeHeads: true as Same<typeof s05.mergeHeads, typeof lib.mergeHeads>,
  reparameterise: true as Same<typeof s06.reparameterise, typeof lib.reparameterise>,
  klDivergence: true as Same<typeof s06.klDivergence, typeof lib.klDivergence>,
  elbo: true as Same<typeof s06.elbo, typeof lib.elbo>,
  bceWithLogits: true as Same<typeof s07.bceWithLogits, typeof lib.bceWithLogits>,
  discriminatorLoss: true as Same<typeof s07.discriminatorLoss, typeof lib.discriminatorLoss>,
  generatorLoss: true as Same<typeof s07.generatorLoss, typeof lib.generatorLoss>,
  saturatingGeneratorLoss: true as Same<typeof s07.saturatingGeneratorLoss, typeof lib.saturatingGeneratorLoss>,
  generatorInput: true as Same<typeof s07.generatorInput, typeof lib.generatorInput>,
  discriminatorInput: true as Same<typeof s07.discriminatorInput, typeof lib.discriminatorInput>,
  qSample: true as Same<typeof s08.qSample, typeof lib.qSample>,
  // alphasFromBetas: the library's takes ArrayLike<number> and returns Float64Arrays (the
  // schedule's tables); the exercise's number arrays. Values are compared below.
};

const rng = new Rng(7);
const normal = (...shape: number[]): tf.Tensor => lib.normalTensor(shape, 1, rng);
const close = (a: tf.Tensor | number, b: tf.Tensor | number): void => {
  const [x, y] = [a, b].map((t) => (typeof t === "number" ? [t] : Array.from(t.dataSync())));
  expect(x!.length).toBe(y!.length);
  x!.forEach((v, i) => expect(v).toBeCloseTo(y![i]!, 5));
};

describe("library twins of exercise functions", () => {
  it("are marked in their solution file, and every solution export named like a library function is a twin", () => {
    const solutions = { "03-lstm": s03, "04-bpe": s04, "05-gpt": s05, "06-vae": s06, "07-gan": s07, "08-diffusion": s08 };
    for (const [file, mod] of Object.entries(solutions)) {
      const text = readFileSync(join(ROOT, "solutions", `${file}.ts`), "utf8");
      for (const name of Object.keys(mod).filter((n) => n in lib)) {
        expect(text, `solutions/${file}.ts: ${name} lacks its "Library twin" line`).toContain(`Library twin: \`${name}\``);
        expect(name in sameSignatures || name === "alphasFromBetas", `${name} has no signature check`).toBe(true);
      }
    }
  });

  it("with another name or a richer result, compute what the library computes", () => {
    tf.tidy(() => {
      const C = 8, v = (...shape: number[]) => tf.variable(normal(...shape).mul(0.3));
      const p = {
        ln1g: v(C), ln1b: v(C), Wqkv: v(C, 3 * C), bqkv: v(3 * C), Wo: v(C, C), bo: v(C),
        ln2g: v(C), ln2b: v(C), W1: v(C, 4 * C), b1: v(4 * C), W2: v(4 * C, C), b2: v(C),
      } as lib.GptBlockParams;
      const x = normal(2, 5, C) as tf.Tensor3D;
      close(s05.blockForward(p, x, 2), lib.gptBlock(p, x, 2).x);
      tf.dispose(Object.values(p));
      const vae = new lib.ConvVae({ latentSize: 3, channels: [2, 3] }, new Rng(3));
      const img = tf.sigmoid(normal(2, 28, 28, 1)) as tf.Tensor4D;
      const [mine, theirs] = [s06.encode(vae.layers, img), lib.encodeWith(vae.layers, img)];
      close(mine.mu, theirs.mu);
      close(mine.logVar, theirs.logVar);
      close(s06.decode(vae.layers, mine.mu), lib.decodeWith(vae.layers, mine.mu));
      vae.dispose();
      const [xt, eps, z] = [normal(2, 4, 4, 1), normal(2, 4, 4, 1), normal(2, 4, 4, 1)] as tf.Tensor4D[];
      close(s08.ddpmUpdate(xt!, eps!, 0.3, 0.6, z!), lib.ddpmStep(xt!, eps!, 0.3, 0.6, z!));
      close(s08.ddimUpdate(xt!, eps!, 0.3, 0.6), lib.ddimStep(xt!, eps!, 0.3, 0.6));
      close(s08.guide(xt!, eps!, 2.5), lib.classifierFreeGuidance(xt!, eps!, 2.5));
    });
  });

  it("take the same GAN step as the library (trainStep and ganStep)", () => {
    const config = { zDim: 4, gChannels: 4, dChannels: 2, classes: 3 };
    const losses = [s07.trainStep, lib.ganStep].map((step) => {
      const gan = new lib.Gan(config, new Rng(5));
      const real = tf.tanh(lib.normalTensor([2, 28, 28, 1], 1, new Rng(6))) as tf.Tensor4D;
      const z = lib.normalTensor([2, 4], 1, new Rng(7)) as tf.Tensor2D, labels = tf.tensor1d([0, 2], "int32");
      const r = step(gan, real, z, labels, 0.9);
      const out = [r.dLoss.dataSync()[0], r.gLoss.dataSync()[0], ...gan.variables.map((w) => tf.sum(w).dataSync()[0])];
      tf.dispose([real, z, labels, r.dLoss, r.gLoss]);
      gan.dispose();
      return out;
    });
    expect(losses[0]).toEqual(losses[1]);
  });

  it("the library's versions check what they are given", () => {
    expect(() => lib.countPairs([{ symbols: ["a b", "c"], count: 1 }])).toThrow(/holds a space/);
    expect(() => lib.countPairs([{ symbols: ["a", "c"], count: 0.5 }])).toThrow(/whole number/);
    tf.tidy(() => {
      expect(() => lib.splitHeads(normal(1, 2, 6) as tf.Tensor3D, 4)).toThrow(/divides the 6 channels/);
      expect(() => lib.splitPosterior(normal(2, 5) as tf.Tensor2D)).toThrow(/odd width/);
    });
    expect(lib.replacePair([1, 1, 1, 2], 1, 1, 9)).toEqual([9, 1, 2]);
  });

  it("compute what the library computes", () => {
    tf.tidy(() => {
      const [q, k, v] = [normal(2, 2, 5, 4), normal(2, 2, 5, 4), normal(2, 2, 5, 4)] as tf.Tensor4D[];
      close(s05.causalAttention(q!, k!, v!).out, lib.causalAttention(q!, k!, v!).out);
      const x3 = normal(2, 5, 8) as tf.Tensor3D;
      close(s05.splitHeads(x3, 2), lib.splitHeads(x3, 2));
      close(s05.mergeHeads(q!), lib.mergeHeads(q!));
      const [mu, logVar, eps] = [normal(4, 3), normal(4, 3), normal(4, 3)] as tf.Tensor2D[];
      close(s06.reparameterise(mu!, logVar!, eps!), lib.reparameterise(mu!, logVar!, eps!));
      close(s06.klDivergence(mu!, logVar!), lib.klDivergence(mu!, logVar!));
      const img = tf.sigmoid(normal(4, 6, 6, 1)) as tf.Tensor4D, logits = normal(4, 6, 6, 1) as tf.Tensor4D;
      close(s06.elbo(img, logits, mu!, logVar!), lib.elbo(img, logits, mu!, logVar!));
      const [real, fake] = [normal(8, 1), normal(8, 1)];
      close(s07.bceWithLogits(real!, 1), lib.bceWithLogits(real!, 1));
      close(s07.discriminatorLoss(real!, fake!, 0.9), lib.discriminatorLoss(real!, fake!, 0.9));
      close(s07.generatorLoss(fake!), lib.generatorLoss(fake!));
      close(s07.saturatingGeneratorLoss(fake!), lib.saturatingGeneratorLoss(fake!));
      const z = normal(3, 4) as tf.Tensor2D, labels = tf.tensor1d([0, 2, 1], "int32");
      close(s07.generatorInput(z, labels, 3), lib.generatorInput(z, labels, 3));
      close(s07.discriminatorInput(img.slice(0, 3), labels, 3), lib.discriminatorInput(img.slice(0, 3), labels, 3));
      const noise = normal(4, 6, 6, 1) as tf.Tensor4D, alphaBar = [0.9, 0.5, 0.1, 0.01];
      close(s08.qSample(img, noise, alphaBar), lib.qSample(img, noise, alphaBar));
      const lstm = lib.initLstmParams({ vocabSize: 5, blockSize: 4, embeddingSize: 3, hiddenSize: 4 }, new Rng(1));
      const state = { h: normal(2, 4) as tf.Tensor2D, c: normal(2, 4) as tf.Tensor2D }, xe = normal(2, 3) as tf.Tensor2D;
      const [mine, theirs] = [s03.lstmCell(lstm, xe, state), lib.lstmCell(lstm, xe, state)];
      close(mine.h, theirs.h);
      close(mine.c, theirs.c);
    });
    const betas = [0.01, 0.02, 0.05];
    const [mine, theirs] = [s08.alphasFromBetas(betas), lib.alphasFromBetas(betas)];
    expect(mine.alphaBar.map((v) => +v.toFixed(12))).toEqual(Array.from(theirs.alphaBar, (v) => +v.toFixed(12)));
    const words = [{ symbols: ["l", "o", "w"], count: 5 }, { symbols: ["l", "o", "w", "e", "r"], count: 2 }];
    expect([...s04.countPairs(words)].sort()).toEqual([...lib.countPairs(words)].sort());
    expect(s04.mergePair(["l", "o", "w", "l", "o"], "l", "o")).toEqual(lib.mergePair(["l", "o", "w", "l", "o"], "l", "o"));
  });

  it("leave no solution body in the library but the one-line formulas library-may-hold.txt allows, each still needed", () => {
    const allowed = allowedInLibrary();
    expect(allowed.size).toBeGreaterThan(0);
    const { shared, problems } = judge(findSolutionText(join(ROOT, "lib"), join(ROOT, "solutions")).map((f) => ({ ...f, where: `lib/${f.where}` })), allowed);
    expect(problems.map((f) => f.text)).toEqual([]);
    expect([...new Set(shared.map((f) => `${f.ref?.file} ${f.ref?.symbol}`))].sort()).toEqual([...allowed.keys()].sort());
    // Without the allow-list, `npm run release` stops at the library and names each body.
    expect(() => checkLibrary(new Map())).toThrow(/the library \(lib\/src\) holds solution text:\n {2}lib\/src\/.*the body of reparameterise in 06-vae\.ts/s);
    expect(checkLibrary().length).toBe(allowed.size);
  });
});
