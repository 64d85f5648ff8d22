/**
 * The committed mini-GPT checkpoint of lesson 05 (datasets/pretrained/05-gpt): the model of
 * GPT_MOBY_RUNS.full trained on Moby Dick by `npx tsx scripts/train-gpt.ts`, stored in the same
 * format as the image checkpoints (model.json + weights.bin, sha256-checked on load). Lesson 11
 * exports it to ONNX and ships it in a web page. The config carries the character vocabulary, so
 * a page can turn ids into text without the dataset.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sha256 } from "../data/manifest";
import { CourseError } from "../errors";
import { type GptConfig, type GptParams, GptLM } from "../lm/gpt";
import { CHECKPOINT_FORMAT, CHECKPOINT_META, CHECKPOINT_WEIGHTS, type CheckpointInfo, loadCheckpoint } from "../nn/checkpoint";
import { repoPath } from "../paths";
import { Rng } from "../random";
import { tf } from "../tf";

/** Where the checkpoint lives, relative to the repository root. */
export const GPT_PRETRAINED_DIR = "datasets/pretrained/05-gpt";
/** The checkpoint's kind in model.json. */
export const GPT_KIND = "gpt";
/** The command that rebuilds it. */
export const GPT_RETRAIN = "npx tsx scripts/train-gpt.ts";

/** A GPT's config plus its vocabulary: `itos[i]` is the character of id i. */
export interface GptCheckpointConfig extends GptConfig {
  itos: string[];
}

/** Every parameter of a GPT with a dotted name ("blocks.0.Wqkv"), in gptVariables' order. */
export function gptNamedVariables(p: GptParams): { name: string; variable: tf.Variable }[] {
  const blockKeys = ["ln1g", "ln1b", "Wqkv", "bqkv", "Wo", "bo", "ln2g", "ln2b", "W1", "b1", "W2", "b2"] as const;
  return [
    { name: "wte", variable: p.wte }, { name: "wpe", variable: p.wpe },
    ...p.blocks.flatMap((b, i) => blockKeys.map((k) => ({ name: `blocks.${i}.${k}`, variable: b[k] as tf.Variable }))),
    { name: "lnfg", variable: p.lnfg }, { name: "lnfb", variable: p.lnfb },
    { name: "Whead", variable: p.Whead }, { name: "bhead", variable: p.bhead },
  ];
}

/** Write `model` (and its vocabulary, and how it was trained) as a checkpoint in `dir`. */
export function saveGpt(model: GptLM, itos: readonly string[], training: Record<string, unknown>, dir = repoPath(GPT_PRETRAINED_DIR)): CheckpointInfo<GptCheckpointConfig> {
  if (itos.length !== model.vocabSize) throw new CourseError(`saveGpt(): the vocabulary has ${itos.length} symbols, the model ${model.vocabSize}.`);
  const named = gptNamedVariables(model.params);
  const arrays = named.map((e) => e.variable.dataSync() as Float32Array);
  const flat = new Float32Array(arrays.reduce((n, a) => n + a.length, 0));
  let offset = 0;
  for (const a of arrays) { flat.set(a, offset); offset += a.length; }
  const bytes = new Uint8Array(flat.buffer); // little-endian, as the other checkpoints
  const info: CheckpointInfo<GptCheckpointConfig> = {
    format: CHECKPOINT_FORMAT, kind: GPT_KIND, config: { ...model.config, itos: [...itos] },
    params: named.map((e) => ({ name: e.name, shape: e.variable.shape.slice() })),
    bytes: bytes.length, sha256: sha256(bytes), training, retrain: GPT_RETRAIN,
  };
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, CHECKPOINT_WEIGHTS), bytes);
  writeFileSync(join(dir, CHECKPOINT_META), JSON.stringify(info, null, 2) + "\n");
  return info;
}

/** The GPT stored in `dir` (default: the committed one), sha256-checked, and its vocabulary. The caller disposes the model. */
export function loadPretrainedGpt(dir = repoPath(GPT_PRETRAINED_DIR)): { model: GptLM; itos: string[]; info: CheckpointInfo<GptCheckpointConfig> } {
  const { info, values } = loadCheckpoint<GptCheckpointConfig>(dir, GPT_KIND);
  const { itos, ...config } = info.config;
  const model = new GptLM(config, new Rng(0)); // any seed: every weight is replaced
  try {
    for (const { name, variable } of gptNamedVariables(model.params)) {
      const v = values.get(name);
      if (!v || v.length !== variable.size) {
        throw new CourseError(`${GPT_PRETRAINED_DIR}: parameter "${name}" [${variable.shape}] is missing or has ${v?.length ?? 0} values. Rebuild with: ${GPT_RETRAIN}`);
      }
      tf.tidy(() => variable.assign(tf.tensor(v, variable.shape)));
    }
  } catch (err) {
    model.dispose();
    throw err;
  }
  return { model, itos, info };
}
