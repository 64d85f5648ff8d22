/**
 * The committed mini-GPT of lesson 05 (datasets/pretrained/05-gpt): GPT_MOBY_RUNS.full's model
 * trained by trainLM on the reference Moby Dick split for all of the preset's 900 steps
 * (`npx tsx scripts/train-gpt.ts`). Lesson 11 exports it to ONNX; lesson 12 watermarks, probes
 * and audits it, neither waiting for training. Same checkpoint format as the image models
 * (model.json + weights.bin, sha256-checked on load); the config carries the character
 * vocabulary, so a web page can turn ids into text without the dataset.
 */
import { CourseError } from "../errors";
import { type CheckpointInfo, loadCheckpoint, saveCheckpoint } from "../nn/checkpoint";
import type { Params } from "../nn/params";
import { repoPath } from "../paths";
import { Rng } from "../random";
import { CharVocab } from "../text/vocab";
import { tf } from "../tf";
import { type GptConfig, type GptParams, GptLM } from "./gpt";

/** Where the checkpoint lives, relative to the repository root. */
export const GPT_PRETRAINED_DIR = "datasets/pretrained/05-gpt";
/** The checkpoint's kind in model.json. */
export const GPT_KIND = "gpt";
/** The command that rebuilds it. */
export const GPT_RETRAIN = "npx tsx scripts/train-gpt.ts";
/** The boundary symbol lesson 05 gives id 0. */
const BOUNDARY = "\u0000";

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

/** Write `model`, its vocabulary and how it was trained as a checkpoint in `dir`. */
export function savePretrainedGpt(model: GptLM, itos: readonly string[], training: Record<string, unknown>, dir = repoPath(GPT_PRETRAINED_DIR)): CheckpointInfo<GptCheckpointConfig> {
  if (itos.length !== model.vocabSize) {
    throw new CourseError(`savePretrainedGpt(): the vocabulary has ${itos.length} symbols, the model ${model.vocabSize}.`);
  }
  // saveCheckpoint reads only `named` of a Params store; the GPT keeps its variables in GptParams.
  const params = { named: gptNamedVariables(model.params) } as unknown as Params;
  return saveCheckpoint(dir, GPT_KIND, { ...model.config, itos: [...itos] }, params, training, GPT_RETRAIN);
}

/** The loaded checkpoint: the model (the caller disposes it), its vocabulary and training record. */
export interface PretrainedGpt {
  model: GptLM;
  vocab: CharVocab;
  itos: string[];
  info: CheckpointInfo<GptCheckpointConfig>;
  training: Record<string, unknown>;
}

/** The GPT stored in `dir` (default: the committed one), sha256-checked, with its vocabulary. */
export function loadPretrainedGpt(dir = repoPath(GPT_PRETRAINED_DIR)): PretrainedGpt {
  const { info, values } = loadCheckpoint<GptCheckpointConfig>(dir, GPT_KIND);
  const { itos, ...config } = info.config;
  const vocab = CharVocab.fromWords([itos.slice(1).join("")], BOUNDARY);
  if (vocab.itos.join("") !== itos.join("")) {
    throw new CourseError(`${dir}/model.json: its vocabulary is not a sorted character list after "\\u0000". Rebuild with: ${GPT_RETRAIN}`);
  }
  const model = new GptLM(config, new Rng(0)); // any seed: every weight is replaced
  try {
    for (const { name, variable } of gptNamedVariables(model.params)) {
      const v = values.get(name);
      if (!v || v.length !== variable.size) {
        throw new CourseError(`${dir}: parameter "${name}" [${variable.shape}] is missing or has ${v?.length ?? 0} values. Rebuild with: ${GPT_RETRAIN}`);
      }
      tf.tidy(() => variable.assign(tf.tensor(v, variable.shape)));
    }
  } catch (err) {
    model.dispose();
    throw err;
  }
  return { model, vocab, itos, info, training: info.training };
}
