import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  BigramLM, GPT_PRETRAINED_DIR, GptLM, LstmLM, MlpLM, Rng, charTokens, initGptBlock, initLstmParams, initMlpParams,
  loadMobyDick, loadModel, loadPretrainedGpt, repoPath, saveCheckpoint, savePretrainedGpt, setup, tf, windowNll,
} from "@course/lib";

const GPT = { vocabSize: 11, blockSize: 8, embeddingSize: 8, heads: 2, layers: 2 };
const LSTM = { vocabSize: 11, blockSize: 8, embeddingSize: 5, hiddenSize: 6 };
const MLP = { vocabSize: 11, blockSize: 3, embeddingSize: 4, hiddenSize: 6 };

/** sha256 (16 hex digits) of the variables' float32 bytes, one after another. */
function fingerprint(vars: readonly tf.Variable[]): string {
  const h = createHash("sha256");
  for (const v of vars) h.update(new Uint8Array((v.dataSync() as Float32Array).slice().buffer));
  return h.digest("hex").slice(0, 16);
}

describe("language models in a Params store", () => {
  it("draw the same initial weights as the hand-rolled initialisers did (fingerprints from commit 6ed0588)", async () => {
    await setup({ seed: 1, backend: "cpu", quiet: true });
    const before = tf.memory().numTensors;
    const models = [new GptLM(GPT, new Rng(7)), new LstmLM(LSTM, new Rng(7)), new MlpLM(MLP, new Rng(7)), new BigramLM(11, new Rng(7))];
    expect(models.map((m) => fingerprint(m.variables))).toEqual(["5d9735858c8296d2", "cf20af2d1b095461", "bec3a13768fc41a8", "760a71f929778749"]);
    const b = initGptBlock(8, 2, new Rng(7));
    expect(fingerprint([b.ln1g, b.ln1b, b.Wqkv, b.bqkv, b.Wo, b.bo, b.ln2g, b.ln2b, b.W1, b.b1, b.W2, b.b2])).toBe("07bf9de5be37eadf");
    const l = initLstmParams(LSTM, new Rng(7)), m = initMlpParams(MLP, new Rng(7));
    expect(fingerprint([l.C, l.W, l.b, l.Wout, l.bout])).toBe("cf20af2d1b095461");
    expect(fingerprint([m.C, m.W1, m.b1, m.W2, m.b2])).toBe("bec3a13768fc41a8");
    tf.dispose([...Object.values(b), ...Object.values(l), ...Object.values(m)]);
    for (const model of models) model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("name each variable after its field; `variables` and `params` are the store's variables", async () => {
    await setup({ seed: 1, backend: "cpu", quiet: true });
    const gpt = new GptLM(GPT, new Rng(3));
    const block = ["ln1g", "ln1b", "Wqkv", "bqkv", "Wo", "bo", "ln2g", "ln2b", "W1", "b1", "W2", "b2"];
    const names = ["wte", "wpe", ...[0, 1].flatMap((i) => block.map((k) => `blocks.${i}.${k}`)), "lnfg", "lnfb", "Whead", "bhead"];
    expect(gpt.store.named.map((e) => e.name)).toEqual(names);
    expect(gpt.variables).toEqual(gpt.store.vars);
    const byName = new Map(gpt.store.named.map((e) => [e.name, e.variable]));
    expect(byName.get("blocks.1.Wqkv")).toBe(gpt.params.blocks[1]!.Wqkv);
    expect(byName.get("Whead")).toBe(gpt.params.Whead);
    const lstm = new LstmLM(LSTM, new Rng(3)), mlp = new MlpLM(MLP, new Rng(3));
    expect(lstm.store.named.map((e) => e.name)).toEqual(["C", "W", "b", "Wout", "bout"]);
    expect(lstm.store.named[2]!.variable).toBe(lstm.params.b);
    expect(Array.from(lstm.params.b.dataSync().slice(0, 12))).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]); // [i | f | …], f = 1
    expect(mlp.store.named.map((e) => e.name)).toEqual(["C", "W1", "b1", "W2", "b2"]);
    expect(gpt.store.count()).toBe(gpt.variables.reduce((n, v) => n + v.size, 0));
    for (const model of [gpt, lstm, mlp]) model.dispose();
  });

  it("save and load with the one checkpoint format; a checkpoint of another shape names the parameter and the fix", async () => {
    await setup({ seed: 1, backend: "cpu", quiet: true });
    const lstm = new LstmLM(LSTM, new Rng(4));
    const dir = mkdtempSync(join(tmpdir(), "lstm-"));
    saveCheckpoint(dir, "lstm", LSTM, lstm.store, { note: "test" }, "npx tsx retrain.ts");
    const { model: back } = loadModel(dir, "lstm", (c: typeof LSTM) => new LstmLM(c, new Rng(0)));
    expect(fingerprint(back.variables)).toBe(fingerprint(lstm.variables));
    back.dispose();
    const wider = (c: typeof LSTM) => new LstmLM({ ...c, hiddenSize: 7 }, new Rng(0));
    expect(() => loadModel(dir, "lstm", wider)).toThrow(/parameter "W" has shape \[12,28\].*Rebuild it with: npx tsx retrain\.ts/);
    lstm.dispose();
  });
});

describe("the committed GPT checkpoint (datasets/pretrained/05-gpt)", () => {
  it("is the store of a GptLM: saving the loaded model writes the same weights.bin", async () => {
    await setup({ seed: 1, backend: "cpu", quiet: true });
    const { model, itos, info, training } = loadPretrainedGpt();
    expect(info.params.map((p) => p.name)).toEqual(model.store.named.map((e) => e.name));
    const dir = mkdtempSync(join(tmpdir(), "gpt05-"));
    const saved = savePretrainedGpt(model, itos, training, dir);
    expect(saved.sha256).toBe(info.sha256);
    const committed = readFileSync(join(repoPath(GPT_PRETRAINED_DIR), "weights.bin"));
    expect(readFileSync(join(dir, "weights.bin")).equals(committed)).toBe(true);
    const meta = JSON.parse(readFileSync(join(dir, "model.json"), "utf8")) as { params: unknown };
    meta.params = [{ name: "wte", shape: [90, 128] }];
    writeFileSync(join(dir, "model.json"), JSON.stringify(meta));
    expect(() => loadPretrainedGpt(dir)).toThrow(/weights\.bin has 3298664 bytes; model\.json's shapes need 46080/);
    model.dispose();
  });

  it("scores the validation loss recorded in its model.json (1,024 windows, within 1e-4 of the rounded 1.8879)", async () => {
    await setup({ seed: 1, backend: "wasm", quiet: true }); // the cpu backend takes minutes for these 65,536 predictions
    const { model, vocab, training } = loadPretrainedGpt();
    const nll = await windowNll(model, charTokens(loadMobyDick().val, vocab), training.val_windows as number);
    expect(Math.abs(nll - (training.val_loss_nats_per_char as number))).toBeLessThan(1e-4);
    model.dispose();
  });
});
