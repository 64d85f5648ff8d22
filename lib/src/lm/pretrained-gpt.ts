/**
 * The committed mini-GPT of lesson 05 (datasets/pretrained/05-gpt): GPT_MOBY_RUNS.full's model
 * trained by trainLM on the reference Moby Dick split for all of the preset's 900 steps
 * (`npx tsx scripts/train-gpt.ts`). Lesson 11 exports it to ONNX; lesson 12 watermarks, probes
 * and audits it, neither waiting for training. The one checkpoint format of nn/checkpoint.ts
 * (model.json + weights.bin, sha256-checked on load) holds the model's `store`, whose names are
 * the fields of GptParams ("wte", "blocks.0.Wqkv", …); the config also carries the character
 * vocabulary, so a web page can turn ids into text without the dataset.
 */
import { CourseError } from "../errors";
import { type CheckpointInfo, loadModel, saveCheckpoint } from "../nn/checkpoint";
import { repoPath } from "../paths";
import { Rng } from "../random";
import { CharVocab } from "../text/vocab";
import { type GptConfig, GptLM } from "./gpt";

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

/** Write `model`, its vocabulary and how it was trained as a checkpoint in `dir`. */
export function savePretrainedGpt(model: GptLM, itos: readonly string[], training: Record<string, unknown>, dir = repoPath(GPT_PRETRAINED_DIR)): CheckpointInfo<GptCheckpointConfig> {
  if (itos.length !== model.vocabSize) {
    throw new CourseError(`savePretrainedGpt(): the vocabulary has ${itos.length} symbols, the model ${model.vocabSize}.`);
  }
  return saveCheckpoint(dir, GPT_KIND, { ...model.config, itos: [...itos] }, model.store, training, GPT_RETRAIN);
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
  const { model, info } = loadModel<GptCheckpointConfig, GptLM>(dir, GPT_KIND, (c) => new GptLM(gptConfig(c), new Rng(0)));
  const { itos } = info.config;
  const vocab = CharVocab.fromWords([itos.slice(1).join("")], BOUNDARY);
  if (vocab.itos.join("") !== itos.join("")) {
    model.dispose();
    throw new CourseError(`${dir}/model.json: its vocabulary is not a sorted character list after "\\u0000". Rebuild with: ${GPT_RETRAIN}`);
  }
  return { model, vocab, itos, info, training: info.training };
}

/** The model's part of a checkpoint's config (without the vocabulary). */
function gptConfig(c: GptCheckpointConfig): GptConfig {
  const { vocabSize, blockSize, embeddingSize, heads, layers } = c;
  return { vocabSize, blockSize, embeddingSize, heads, layers };
}
