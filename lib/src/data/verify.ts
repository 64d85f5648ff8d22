/**
 * Reading dataset files with a checksum check. Each file (or group of small files) is hashed
 * the first time a process reads it and compared with datasets/manifest.json; later reads in the
 * same process skip the hash. The bytes that were hashed are the bytes the loader parses, so
 * nothing is read twice.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { CourseError } from "../errors";
import {
  MANIFEST_PATH,
  REGENERATE_COMMAND,
  type ManifestPackage,
  groupDigest,
  manifestPackage,
  sha256,
} from "./manifest";
import { datasetPackageDir, installedVersion } from "./packages";

/** Keys `<folder>#<file or group>` already checked in this process. */
const verified = new Set<string>();

export interface VerifyOptions {
  /**
   * Check a copy of the package in another folder against the same manifest (tests, diagnosing
   * a damaged install). The loaders never pass it: they always read node_modules.
   */
  dir?: string;
}

function restoreHint(entry: ManifestPackage): string {
  return `Run npm ci in the repository root to restore ${entry.name}@${entry.version}.`;
}

function packageFolder(entry: ManifestPackage, dir: string | undefined): string {
  if (dir !== undefined) return resolve(dir);
  const found = datasetPackageDir(entry.name);
  const version = installedVersion(found);
  if (version !== entry.version) {
    throw new CourseError(
      `${entry.name} is installed at version ${version}, but ${MANIFEST_PATH} expects ` +
        `${entry.version}. Run npm ci in the repository root to install the locked version ` +
        `(if the upgrade is intended, rebuild the manifest with ${REGENERATE_COMMAND} and ` +
        `check the reference split numbers).`,
    );
  }
  return found;
}

function readPackageFile(entry: ManifestPackage, dir: string, path: string): Buffer {
  const file = join(dir, path);
  if (!existsSync(file)) {
    throw new CourseError(`${file} is missing: ${entry.name} is incomplete. ${restoreHint(entry)}`);
  }
  return readFileSync(file);
}

function mismatch(
  entry: ManifestPackage,
  what: string,
  expected: { bytes: number; sha256: string },
  actual: { bytes: number; sha256: string },
): CourseError {
  const size =
    actual.bytes === expected.bytes
      ? `${actual.bytes} bytes as expected`
      : `${actual.bytes} bytes, expected ${expected.bytes}`;
  return new CourseError(
    `Checksum mismatch for ${what} (${size}).\n` +
      `  expected sha256 ${expected.sha256} (${MANIFEST_PATH})\n` +
      `  actual   sha256 ${actual.sha256}\n` +
      `  The installed data is damaged or modified. ${restoreHint(entry)}`,
  );
}

/**
 * Read one file of a dataset package (path relative to the package folder, as listed in the
 * manifest), checking its size and sha256 on the first read in this process.
 */
export function readVerifiedDatasetFile(
  packageName: string,
  path: string,
  options: VerifyOptions = {},
): Buffer {
  const entry = manifestPackage(packageName);
  const expected = entry.files.find((f) => f.path === path);
  if (!expected) {
    throw new CourseError(
      `${MANIFEST_PATH} lists no file ${path} for ${packageName}; add it to ` +
        `scripts/dataset-manifest.ts and run: ${REGENERATE_COMMAND}`,
    );
  }
  const dir = packageFolder(entry, options.dir);
  const bytes = readPackageFile(entry, dir, path);
  const key = `${dir}#${path}`;
  if (!verified.has(key)) {
    const actual = { bytes: bytes.length, sha256: sha256(bytes) };
    if (actual.sha256 !== expected.sha256) {
      throw mismatch(entry, join(dir, path), expected, actual);
    }
    verified.add(key);
  }
  return bytes;
}

/**
 * Read every member of a manifest group (in member order), checking the group's total size and
 * combined digest on the first read in this process.
 */
export function readVerifiedDatasetGroup(
  packageName: string,
  group: string,
  options: VerifyOptions = {},
): { path: string; bytes: Buffer }[] {
  const entry = manifestPackage(packageName);
  const expected = entry.groups.find((g) => g.name === group);
  if (!expected) {
    throw new CourseError(
      `${MANIFEST_PATH} lists no group "${group}" for ${packageName}; rebuild it with: ` +
        REGENERATE_COMMAND,
    );
  }
  const dir = packageFolder(entry, options.dir);
  const files = expected.members.map((path) => ({
    path,
    bytes: readPackageFile(entry, dir, path),
  }));
  const key = `${dir}#group:${group}`;
  if (!verified.has(key)) {
    const hashed = files.map((f) => ({ path: f.path, sha256: sha256(f.bytes) }));
    const actual = {
      bytes: files.reduce((sum, f) => sum + f.bytes.length, 0),
      sha256: groupDigest(hashed),
    };
    if (actual.sha256 !== expected.sha256) {
      const what = `the ${expected.count} ${expected.description} in ${dir} (combined digest)`;
      throw mismatch(entry, what, expected, actual);
    }
    verified.add(key);
  }
  return files;
}
