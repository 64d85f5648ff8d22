/**
 * The JSB Chorales (lesson 09): 382 four-part chorales by J. S. Bach on a 16th-note grid, with the
 * train/valid/test split of Boulanger-Lewandowski et al. (2012): 229/76/77. The file is vendored
 * in datasets/jsb-chorales/ (source and licence in datasets/README.md) and checked against the
 * sha256 in datasets/manifest.json before it is parsed.
 */
import { existsSync, readFileSync } from "node:fs";
import { CourseError } from "../errors";
import { repoPath } from "../paths";
import { MANIFEST_PATH, REGENERATE_COMMAND, manifestPackage, sha256 } from "./manifest";

/** The manifest's name for the vendored folder, and the file in it. */
export const JSB_PACKAGE = "datasets/jsb-chorales";
export const JSB_FILE = "Jsb16thSeparated.json";

/** One 16th-note step: MIDI pitches of soprano, alto, tenor, bass; −1 where a voice is silent. */
export type ChoraleStep = [number, number, number, number];
/** A chorale: its steps in time order. */
export type Chorale = ChoraleStep[];

export interface JsbChorales {
  train: Chorale[];
  valid: Chorale[];
  test: Chorale[];
}

const SPLITS = ["train", "valid", "test"] as const;

function corrupt(what: string): CourseError {
  return new CourseError(
    `${JSB_PACKAGE}/${JSB_FILE} is not the JSB Chorales JSON the course expects (${what}). ` +
      `Restore it with: git checkout -- ${JSB_PACKAGE}`,
  );
}

/** Check the parsed JSON's shape: three splits of chorales of [S, A, T, B] integer steps. */
export function parseJsbChorales(text: string): JsbChorales {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw corrupt(`JSON does not parse: ${(e as Error).message}`);
  }
  const out: Partial<JsbChorales> = {};
  for (const split of SPLITS) {
    const list = (raw as Record<string, unknown>)?.[split];
    if (!Array.isArray(list)) throw corrupt(`no "${split}" list`);
    list.forEach((chorale: unknown, i) => {
      const ok = Array.isArray(chorale) && chorale.length > 0 && chorale.every((s: unknown) =>
        Array.isArray(s) && s.length === 4 && s.every((p) => Number.isInteger(p) && (p === -1 || (p >= 0 && p < 128))));
      if (!ok) throw corrupt(`${split}[${i}] is not a list of [S, A, T, B] MIDI pitches`);
    });
    out[split] = list as Chorale[];
  }
  return out as JsbChorales;
}

/** Bytes of the vendored file after the size and sha256 check against the manifest. */
export function readJsbFile(): Buffer {
  const file = repoPath(`${JSB_PACKAGE}/${JSB_FILE}`);
  if (!existsSync(file)) {
    throw new CourseError(`${file} is missing. It is part of the repository: restore it with git checkout -- ${JSB_PACKAGE}`);
  }
  const bytes = readFileSync(file);
  const expected = manifestPackage(JSB_PACKAGE).files.find((f) => f.path === JSB_FILE);
  if (!expected) throw new CourseError(`${MANIFEST_PATH} lists no ${JSB_FILE}; rebuild it with: ${REGENERATE_COMMAND}`);
  const actual = sha256(bytes);
  if (actual !== expected.sha256) {
    throw new CourseError(
      `Checksum mismatch for ${file} (${bytes.length} bytes, expected ${expected.bytes}).\n` +
        `  expected sha256 ${expected.sha256} (${MANIFEST_PATH})\n  actual   sha256 ${actual}\n` +
        `  The file is damaged or modified: restore it with git checkout -- ${JSB_PACKAGE}`,
    );
  }
  return bytes;
}

let cached: JsbChorales | null = null;

/** The 382 chorales in their reference split (229 train, 76 valid, 77 test). Read once per process. */
export function loadJsbChorales(): JsbChorales {
  cached ??= parseJsbChorales(readJsbFile().toString("utf8"));
  return cached;
}
