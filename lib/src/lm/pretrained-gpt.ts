/**
 * The committed mini-GPT of lesson 05 (datasets/pretrained/gpt-05): GPT_MOBY_RUNS.full's model
 * trained by trainLM on the reference Moby Dick split, with the preset's seeds and schedule
 * (`npx tsx scripts/train-gpt-05.ts`). Lesson 12 watermarks, probes and audits it without
 * waiting for training. Same checkpoint format as the image models (model.json + weights.bin,
 * sha256-checked on load).
 */
import { loadCheckpoint, saveCheckpoint } from "../nn/checkpoint";
import type { Params } from "../nn/params";
import { CourseError } from "../errors";
import { repoPath } from "../paths";
import { Rng } from "../random";
import { tf } from "../setup";
import { CharVocab } from "../text/vocab";
import { type GptConfig, GptLM } from "./gpt";

/** Where the checkpoint lives, relative to the repository root. */
export const GPT05_PRETRAINED_DIR = "datasets/pretrained/gpt-05";
/** The checkpoint's kind in model.json. */
export const GPT05_KIND = "gpt-char";
/** The command that rebuilds it. */
export const GPT05_RETRAIN = "npx tsx scripts/train-gpt-05.ts";
/** The boundary symbol lesson 05 gives id 0 (it never occurs in the text). */
export const GPT05_BOUNDARY = "\u0000";

/** What model.json's config holds: the GPT's shape and its vocabulary (id → character). */
export interface PretrainedGptConfig {
  model: GptConfig;
  itos: string[];
}

/** Dotted names of a GPT's variables, in gptVariables order ("blocks.0.Wqkv", "Whead", …). */
export function gptVariableNames(layers: number): string[] {
  const block = ["ln1g", "ln1b", "Wqkv", "bqkv", "Wo", "bo", "ln2g", "ln2b", "W1", "b1", "W2", "b2"];
  const blocks = Array.from({ length: layers }, (_, i) => block.map((n) => `blocks.${i}.${n}`)).flat();
  return ["wte", "wpe", ...blocks, "lnfg", "lnfb", "Whead", "bhead"];
}

/** Save a trained GPT and its vocabulary as a checkpoint in `dir`. */
export function savePretrainedGpt(model: GptLM, vocab: CharVocab, training: Record<string, unknown>, dir = repoPath(GPT05_PRETRAINED_DIR)): void {
  const names = gptVariableNames(model.config.layers);
  const named = model.variables.map((variable, i) => ({ name: names[i]!, variable }));
  // saveCheckpoint reads only `named` of a Params store; the GPT keeps its variables in a plain list.
  const params = { named } as unknown as Params;
  const config: PretrainedGptConfig = { model: model.config, itos: [...vocab.itos] };
  saveCheckpoint(dir, GPT05_KIND, config, params, training, GPT05_RETRAIN);
}

/** The pretrained GPT, its character vocabulary and training record; the caller disposes the model. */
export function loadPretrainedGpt(dir = repoPath(GPT05_PRETRAINED_DIR)): { model: GptLM; vocab: CharVocab; training: Record<string, unknown> } {
  const { info, values } = loadCheckpoint<PretrainedGptConfig>(dir, GPT05_KIND);
  const vocab = CharVocab.fromWords([info.config.itos.slice(1).join("")], GPT05_BOUNDARY);
  if (vocab.itos.join("") !== info.config.itos.join("")) {
    throw new CourseError(`${dir}/model.json: its vocabulary is not a sorted character list after "\\u0000"; rebuild with ${GPT05_RETRAIN}.`);
  }
  const model = new GptLM(info.config.model, new Rng(0));
  const names = gptVariableNames(info.config.model.layers);
  model.variables.forEach((variable, i) => {
    const v = values.get(names[i]!);
    if (!v || v.length !== variable.size) {
      model.dispose();
      throw new CourseError(`${dir}: parameter ${names[i]} is missing or has the wrong size; rebuild with ${GPT05_RETRAIN}.`);
    }
    variable.assign(tf.tensor(v, variable.shape));
  });
  return { model, vocab, training: info.training };
}
