/**
 * Checkpoints for the course's trained models: a folder with `weights.bin` (float32,
 * little-endian, the parameters one after another) and `model.json` (what model, its config,
 * each parameter's name and shape, how it was trained, the command that rebuilds it and the
 * sha256 of weights.bin). Loading checks the hash, so a damaged checkpoint fails with a message
 * that says how to restore or rebuild it.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sha256 } from "../data/manifest";
import { CourseError } from "../errors";
import { shownPath } from "../paths";
import type { Params } from "./params";

export const CHECKPOINT_FORMAT = "course-weights/1";
export const CHECKPOINT_META = "model.json";
export const CHECKPOINT_WEIGHTS = "weights.bin";

export interface CheckpointInfo<C> {
  format: typeof CHECKPOINT_FORMAT;
  /** Which model this is, e.g. "vae"; loading checks it. */
  kind: string;
  config: C;
  params: { name: string; shape: number[] }[];
  bytes: number;
  sha256: string;
  /** How it was trained: seed, steps, seconds, backend, metrics… */
  training: Record<string, unknown>;
  /** The command that rebuilds it. */
  retrain: string;
}

/** Write `params` with their metadata into `dir`; returns what model.json holds. */
export function saveCheckpoint<C>(
  dir: string, kind: string, config: C, params: Params, training: Record<string, unknown>, retrain: string,
): CheckpointInfo<C> {
  const arrays = params.named.map((e) => e.variable.dataSync() as Float32Array);
  const flat = new Float32Array(arrays.reduce((n, a) => n + a.length, 0));
  let offset = 0;
  for (const a of arrays) {
    flat.set(a, offset);
    offset += a.length;
  }
  const bytes = new Uint8Array(flat.buffer); // little-endian on every platform Node runs on
  const info: CheckpointInfo<C> = {
    format: CHECKPOINT_FORMAT, kind, config,
    params: params.named.map((e) => ({ name: e.name, shape: e.variable.shape.slice() })),
    bytes: bytes.length, sha256: sha256(bytes), training, retrain,
  };
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, CHECKPOINT_WEIGHTS), bytes);
  writeFileSync(join(dir, CHECKPOINT_META), JSON.stringify(info, null, 2) + "\n");
  return info;
}

/** model.json of the checkpoint in `dir`, checked to be a `kind` checkpoint ("" takes any kind). */
export function readCheckpointInfo<C>(dir: string, kind: string): CheckpointInfo<C> {
  const path = join(dir, CHECKPOINT_META);
  if (!existsSync(path)) {
    throw new CourseError(`${shownPath(path)} is missing: there is no ${kind} checkpoint in ${shownPath(dir)}.`);
  }
  let info: CheckpointInfo<C>;
  try {
    info = JSON.parse(readFileSync(path, "utf8")) as CheckpointInfo<C>;
  } catch (e) {
    throw new CourseError(`${shownPath(path)} is not valid JSON (${(e as Error).message}); restore it with git checkout.`);
  }
  if (info.format !== CHECKPOINT_FORMAT || (kind !== "" && info.kind !== kind)) {
    throw new CourseError(
      `${shownPath(path)} holds a ${String(info.kind)} checkpoint (${String(info.format)}), expected ${kind} (${CHECKPOINT_FORMAT}).`,
    );
  }
  return info;
}

/** The `kind` recorded in `dir`'s model.json ("conv-vae", "gan", "diffusion-unet"…), for a loader that serves several. */
export function checkpointKind(dir: string): string {
  const info = readCheckpointInfo<unknown>(dir, "");
  return info.kind;
}

/**
 * The parameter values stored in `dir`, by name, after checking weights.bin against the sha256
 * in model.json. Pass them to `Params.assign` of a model built with `info.config`.
 */
export function loadCheckpoint<C>(dir: string, kind: string): { info: CheckpointInfo<C>; values: Map<string, Float32Array> } {
  const info = readCheckpointInfo<C>(dir, kind);
  const path = join(dir, CHECKPOINT_WEIGHTS);
  const fix = `Restore it with git checkout -- ${shownPath(dir)}, or rebuild it with: ${info.retrain}`;
  if (!existsSync(path)) throw new CourseError(`${shownPath(path)} is missing. ${fix}`);
  const bytes = readFileSync(path);
  const digest = sha256(bytes);
  if (digest !== info.sha256) {
    throw new CourseError(
      `${shownPath(path)}: sha256 ${digest.slice(0, 16)}…, but model.json records ${info.sha256.slice(0, 16)}…; the file is damaged or out of date. ${fix}`,
    );
  }
  const sizes = info.params.map((p) => p.shape.reduce((a, b) => a * b, 1));
  const total = sizes.reduce((a, b) => a + b, 0);
  if (bytes.length !== 4 * total) {
    throw new CourseError(`${shownPath(path)} has ${bytes.length} bytes; model.json's shapes need ${4 * total}. ${fix}`);
  }
  const flat = new Float32Array(total);
  new Uint8Array(flat.buffer).set(bytes);
  const values = new Map<string, Float32Array>();
  let offset = 0;
  info.params.forEach((p, i) => {
    values.set(p.name, flat.subarray(offset, offset + sizes[i]!));
    offset += sizes[i]!;
  });
  return { info, values };
}

/** A model's parameter store: a language model's `store` (its `params` are typed fields), else `params`. */
export type StoredModel = ({ store: Params } | { params: Params }) & { dispose(): void };

function storeOf(model: StoredModel): Params {
  return "store" in model ? model.store : model.params;
}

/**
 * The model stored in `dir`: `build(info.config)` (any seed: the weights are replaced) with the
 * checkpoint's values assigned; disposed again if they do not fit it. The caller disposes it.
 */
export function loadModel<C, M extends StoredModel>(
  dir: string, kind: string, build: (config: C) => M,
): { model: M; info: CheckpointInfo<C> } {
  const { info, values } = loadCheckpoint<C>(dir, kind);
  const model = build(info.config);
  try {
    storeOf(model).assign(values);
  } catch (err) {
    model.dispose();
    throw new CourseError(`${shownPath(dir)}: ${(err as Error).message} Rebuild it with: ${info.retrain}`);
  }
  return { model, info };
}
