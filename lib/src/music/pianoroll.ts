/** Piano rolls as SVG: time to the right, pitch upwards, one colour per voice; panels side by side. */
import type { Chorale } from "../data/jsbChorales";
import { escapeXml } from "../show/svg";
import { choraleNotes } from "./notes";

const COLOURS = ["#d62728", "#2ca02c", "#1f77b4", "#9467bd"]; // S, A, T, B

export interface PianoRollPanel {
  title: string;
  chorale: Chorale;
}

/** Panels in one row, all on the same pitch axis; bar lines every 16 steps. */
export function pianoRollSvg(panels: readonly PianoRollPanel[], options: { stepWidth?: number; pitchHeight?: number } = {}): string {
  const { stepWidth = 4, pitchHeight = 4 } = options;
  const pitches = panels.flatMap((p) => p.chorale.flat().filter((x) => x >= 0));
  const lo = Math.min(...pitches, 60) - 1, hi = Math.max(...pitches, 60) + 1;
  const height = (hi - lo + 1) * pitchHeight, top = 18, gap = 16;
  let x0 = 28;
  const parts: string[] = [];
  for (let p = Math.ceil(lo / 12) * 12; p <= hi; p += 12) {
    parts.push(`<text x="2" y="${top + (hi - p) * pitchHeight + 3}" font-size="9" font-family="sans-serif">C${p / 12 - 1}</text>`);
  }
  for (const panel of panels) {
    const w = panel.chorale.length * stepWidth;
    parts.push(`<text x="${x0}" y="12" font-size="11" font-family="sans-serif">${escapeXml(panel.title)}</text>`);
    parts.push(`<rect x="${x0}" y="${top}" width="${w}" height="${height}" fill="#fafafa" stroke="#ccc"/>`);
    for (let t = 16; t < panel.chorale.length; t += 16) {
      parts.push(`<line x1="${x0 + t * stepWidth}" x2="${x0 + t * stepWidth}" y1="${top}" y2="${top + height}" stroke="#ddd"/>`);
    }
    for (const n of choraleNotes(panel.chorale)) {
      const y = top + (hi - n.pitch) * pitchHeight;
      parts.push(`<rect x="${x0 + n.start * stepWidth}" y="${y}" width="${n.steps * stepWidth - 0.5}" height="${pitchHeight}" fill="${COLOURS[n.voice]}"/>`);
    }
    x0 += w + gap;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${x0}" height="${top + height + 4}">${parts.join("")}</svg>`;
}
