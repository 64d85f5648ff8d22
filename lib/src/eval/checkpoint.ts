/**
 * Saving and loading the classifier: `weights.bin` (float32, little-endian, the parameters one
 * after another in CLASSIFIER_PARAM_NAMES order) and `classifier.json` (config, parameter
 * shapes, training record and the sha256 of weights.bin). Loading checks the hash, so a damaged
 * or hand-edited checkpoint fails with a message that says how to rebuild it.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sha256 } from "../data/manifest";
import { CourseError } from "../errors";
import { repoPath, shownPath } from "../paths";
import {
  CLASSIFIER_PARAM_NAMES, type ClassifierConfig, MnistClassifier, classifierShapes,
} from "./classifier";

/** Where the committed checkpoint lives, relative to the repository root. */
export const CLASSIFIER_DIR = "datasets/mnist-classifier";
/** The command that rebuilds it. */
export const RETRAIN_COMMAND = "npx tsx scripts/train-classifier.ts";
export const WEIGHTS_FILE = "weights.bin";
export const META_FILE = "classifier.json";

/** How the checkpoint was made (written by the training script, kept in classifier.json). */
export interface TrainingRecord {
  seed: number;
  steps: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Fraction of MNIST's 10,000 test images classified correctly. */
  testAccuracy: number;
  backend: string;
  seconds: number;
}

/** One reference measurement kept with the checkpoint (see docs/EVALUATION.md). */
export interface ReferenceScore {
  /** What was compared, e.g. "test vs train" or "test + noise σ=0.1 vs train". */
  what: string;
  n: number;
  fid: number;
  kid: number;
  kidStd: number;
}

export interface CheckpointMeta {
  format: "course-mnist-classifier/1";
  config: ClassifierConfig;
  params: { name: string; shape: number[] }[];
  weightsFile: string;
  bytes: number;
  sha256: string;
  training: TrainingRecord;
  /** Real-vs-real floors and noised-image scores measured with these weights. */
  reference?: ReferenceScore[];
}

function damaged(file: string, problem: string): CourseError {
  return new CourseError(
    `${shownPath(file)}: ${problem}. The classifier checkpoint is damaged or out of date; restore ` +
      `it from git (git checkout -- ${CLASSIFIER_DIR}) or retrain it with: ${RETRAIN_COMMAND}`,
  );
}

/** Write weights.bin and classifier.json into `dir`; returns the metadata written. */
export function saveClassifier(
  model: MnistClassifier, training: TrainingRecord, dir = repoPath(CLASSIFIER_DIR),
  reference?: ReferenceScore[],
): CheckpointMeta {
  const arrays = model.vars.map((v) => v.dataSync() as Float32Array);
  const total = arrays.reduce((a, b) => a + b.length, 0);
  const flat = new Float32Array(total);
  let offset = 0;
  for (const a of arrays) {
    flat.set(a, offset);
    offset += a.length;
  }
  const bytes = new Uint8Array(flat.buffer); // little-endian on every platform Node runs on
  const shapes = classifierShapes(model.config);
  const meta: CheckpointMeta = {
    format: "course-mnist-classifier/1",
    config: model.config,
    params: CLASSIFIER_PARAM_NAMES.map((name) => ({ name, shape: shapes[name] })),
    weightsFile: WEIGHTS_FILE,
    bytes: bytes.length,
    sha256: sha256(bytes),
    training,
    ...(reference ? { reference } : {}),
  };
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, WEIGHTS_FILE), bytes);
  writeFileSync(join(dir, META_FILE), JSON.stringify(meta, null, 2) + "\n");
  return meta;
}

/** Read classifier.json from `dir`, checking it is there and readable. */
export function readClassifierMeta(dir = repoPath(CLASSIFIER_DIR)): CheckpointMeta {
  const metaPath = join(dir, META_FILE);
  if (!existsSync(metaPath)) throw damaged(metaPath, "the file is missing");
  let meta: CheckpointMeta;
  try {
    meta = JSON.parse(readFileSync(metaPath, "utf8")) as CheckpointMeta;
  } catch (e) {
    throw damaged(metaPath, `not valid JSON (${(e as Error).message})`);
  }
  if (meta.format !== "course-mnist-classifier/1") {
    const format = JSON.stringify(meta.format);
    throw damaged(metaPath, `format ${format}, expected course-mnist-classifier/1`);
  }
  return meta;
}

/**
 * The classifier stored in `dir` (default: the committed one), after checking weights.bin's
 * sha256 against classifier.json. The caller owns the model: call `dispose()` when done.
 */
export function loadClassifier(dir = repoPath(CLASSIFIER_DIR)): MnistClassifier {
  const meta = readClassifierMeta(dir);
  const weightsPath = join(dir, meta.weightsFile);
  if (!existsSync(weightsPath)) throw damaged(weightsPath, "the file is missing");
  const bytes = readFileSync(weightsPath);
  const digest = sha256(bytes);
  if (digest !== meta.sha256) {
    throw damaged(
      weightsPath,
      `sha256 is ${digest.slice(0, 16)}…, but ${META_FILE} records ${meta.sha256.slice(0, 16)}…`,
    );
  }
  const shapes = classifierShapes(meta.config);
  const sizes = CLASSIFIER_PARAM_NAMES.map((n) => shapes[n].reduce((a, b) => a * b, 1));
  const total = sizes.reduce((a, b) => a + b, 0);
  if (bytes.length !== 4 * total) {
    throw damaged(weightsPath, `${bytes.length} bytes, the config needs ${4 * total}`);
  }
  const flat = new Float32Array(total);
  new Uint8Array(flat.buffer).set(bytes);
  let offset = 0;
  const values = sizes.map((size) => {
    const part = flat.subarray(offset, offset + size);
    offset += size;
    return part;
  });
  return new MnistClassifier(meta.config, values);
}
