/**
 * Images as PNG bytes, with no dependency: a grid of generated digits, a film strip, saved next
 * to a quality report or shown in a notebook with `tslab.display.png(bytes)`. PNG renders in
 * JupyterLab, classic Notebook and on GitHub.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { deflateSync } from "node:zlib";
import { CourseError } from "../errors";
import { tf } from "../tf";
import { escapeXml } from "./svg";

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(Buffer.from(type, "ascii"), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** Encode 8-bit grey (channels 1) or RGB (channels 3) pixels, row-major, as a PNG file. */
export function encodePng(pixels: Uint8Array, width: number, height: number, channels: 1 | 3 = 1): Uint8Array {
  if (pixels.length !== width * height * channels) {
    throw new CourseError(`encodePng(): ${width}×${height}×${channels} needs ${width * height * channels} bytes, got ${pixels.length}.`);
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, channels === 1 ? 0 : 2, 0, 0, 0], 8); // bit depth 8, grey or RGB, no interlace
  const stride = width * channels;
  const raw = new Uint8Array((stride + 1) * height); // each row starts with filter type 0
  for (let y = 0; y < height; y++) raw.set(pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  const signature = [137, 80, 78, 71, 13, 10, 26, 10];
  const parts = [Uint8Array.from(signature), chunk("IHDR", header), chunk("IDAT", deflateSync(raw)), chunk("IEND", new Uint8Array(0))];
  return Uint8Array.from(Buffer.concat(parts));
}

export interface GridOptions {
  /** Images per row (default: ⌈√N⌉). */
  cols?: number;
  /** Pixels of border between images (default 2). */
  pad?: number;
  /** Each image pixel becomes scale × scale screen pixels (default 2). */
  scale?: number;
  /** Value range of the images: [0, 1] ("unit", default) or [−1, 1] ("signed"). */
  range?: "unit" | "signed";
}

/**
 * Images [N, H, W, 1] as one PNG grid, row after row, white on black like MNIST; values
 * outside the range are clipped. The caller keeps ownership of `images`.
 */
export function imageGrid(images: tf.Tensor4D, options: GridOptions = {}): Uint8Array {
  const [n, h, w, c] = images.shape;
  if (c !== 1 || n < 1) throw new CourseError(`imageGrid(): expected images [N ≥ 1, H, W, 1], got [${images.shape}].`);
  const cols = options.cols ?? Math.ceil(Math.sqrt(n));
  const pad = options.pad ?? 2, scale = options.scale ?? 2;
  const rows = Math.ceil(n / cols);
  const values = images.dataSync();
  const signed = options.range === "signed";
  const width = pad + cols * (w * scale + pad), height = pad + rows * (h * scale + pad);
  const pixels = new Uint8Array(width * height).fill(96); // grey border
  for (let i = 0; i < n; i++) {
    const x0 = pad + (i % cols) * (w * scale + pad), y0 = pad + Math.floor(i / cols) * (h * scale + pad);
    for (let y = 0; y < h * scale; y++) {
      for (let x = 0; x < w * scale; x++) {
        const v = values[i * h * w + Math.floor(y / scale) * w + Math.floor(x / scale)]!;
        const unit = signed ? (v + 1) / 2 : v;
        pixels[(y0 + y) * width + x0 + x] = Math.round(255 * Math.min(1, Math.max(0, unit)));
      }
    }
  }
  return encodePng(pixels, width, height, 1);
}

/** A PNG as a data: URL (for <img> in HTML output). */
export function pngDataUrl(png: Uint8Array): string {
  return `data:image/png;base64,${Buffer.from(png).toString("base64")}`;
}

/** PNGs side by side, each with a caption under it, as HTML: `tslab.display.html(...)`. */
export function captionedImagesHtml(items: readonly { caption: string; png: Uint8Array }[]): string {
  const cells = items.map(({ caption, png }) =>
    `<figure style="margin:4px;text-align:center"><img src="${pngDataUrl(png)}" style="image-rendering:pixelated"/>` +
    `<figcaption style="font:12px sans-serif">${escapeXml(caption)}</figcaption></figure>`);
  return `<div style="display:flex;flex-wrap:wrap;align-items:flex-start">${cells.join("")}</div>`;
}

/** Write PNG bytes to `path`, creating its folder. */
export function writePng(path: string, png: Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, png);
}
