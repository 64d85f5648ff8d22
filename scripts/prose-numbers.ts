/**
 * Numbers in a notebook's prose that look measured: a loss, an FID, a speed, a time, a share of
 * something counted. Such numbers drift from docs/quality.json; notebooks read them in a code cell
 * (`measured("NN")`) instead. scripts/test/notebook-prose.test.ts runs the check.
 *
 *   npx tsx scripts/prose-numbers.ts [NN ...]    lists what it finds in notebooks/NN-*.ipynb
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { pathToFileURL } from "node:url";
import { notebookFiles, sourceText, type Notebook } from "./strip-notebooks.ts";

/** Notebooks whose prose is not checked yet (they still quote measurements in markdown). */
export const NOT_YET_CHECKED = new Set<string>();

const NUMBER = String.raw`[−-]?\d[\d,]*(?:\.\d+)?`;
/** A number followed by a unit that only a measurement gives ("×" only as a ratio, not 28 × 28). */
const NUMBER_UNIT = new RegExp(
  String.raw`(${NUMBER})\s*(?:nats|bits?\b|bpc|%|×(?=\s*(?:the floor|[),;]))|times (?:as|the|faster|slower)|` +
    String.raw`s\b|seconds|minutes|ms\b|steps (?:a|per) second|steps/s|GFLOP/s|chars? per token)`,
  "g",
);
/** A metric's name followed by its value: "FID 9.90", "loss of 1.79", "| KID | 2107". */
const METRIC_NUMBER = new RegExp(
  String.raw`\b(?:FID|KID|NLL|loss|−ELBO|precision|recall|accuracy|entropy)(?:[\s:=|*≈]|\b(?:of|is|about)\b)*(${NUMBER})`,
  "gi",
);
/** Any other decimal, unless it is a setting written as an assignment ("w = 1.25", "β1 = 0.5"). */
const DECIMAL = /(?<![=≈:<>≤≥]\s?)(?<![\w.·^])(\d+\.\d+)(?!\s*(?:million|·|×\s*10))/g;
/**
 * Numbers that are not measurements: maths (log 27 ≈ 3.30, 2·ln 2), settings of a run (10 % of
 * the labels), definitions of a fake, or facts of a dataset. Each entry matches the text around
 * the number; keep them specific.
 */
const ALLOWED: RegExp[] = [
  /(?:log|ln|√|·)\s*[\w₀-₉ ]{0,12}[≈=]\s*$/, // maths: "log V = log 27 ≈", "784 · ln 2 ≈"
  /log₂ \d+\s*[≈=]?\s*$/, // "log₂ 10 ≈ 3.32 bits", "log₂ 5 = 2.32"
];
const ALLOWED_PHRASES: RegExp[] = [
  /\b90 %/, // the train / validation split
  /first 90 %/,
  /10 % to validate/,
  /10 % of the labels/, // label dropout, a setting
  /50 %-zeros/, // a fake generator's definition
  /\bhalf the images are 0s/,
  /\bFID (?:of|at) (?:1,000|n)/, // a sample size, not a value
  /within \d× the floor/, // a target, not a result
  /below 3\.32 bits/, // log₂ 10, the entropy of ten balanced classes
  /\d+ % of its time budget/, // a schedule's setting
  /scaled by 0\.01|slope 0\.2|Adam's 0\.9|decay 0\.999|min\(0\.999|up to 0\.02/, // hyper-parameters
  /\b(?:0|1) (?:bits?|nats)\b.{0,30}(?:when|for|exactly)/, // bounds: "0 when every sample is the same"
  /onnxruntime \d+\.\d+|CC BY(?:-SA)? \d\.\d/, // versions of a package or a licence
  /0\.5 for a coin/, // a definition (AUC of chance)
  /\d+–\d+ W\b|W per core/, // a server CPU's rated power: an assumption stated with its source
];

export interface Finding { notebook: string; cell: number; text: string }

/** Markdown without fenced code blocks (formulas, shapes) and inline code spans. */
function prose(markdown: string): string {
  return markdown.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "`…`");
}

/** Every measured-looking number in one markdown text, with a little context. */
export function measuredNumbers(markdown: string): string[] {
  const text = prose(markdown);
  const hits: string[] = [];
  const seen = new Set<number>(); // where each flagged number starts: one finding per number
  for (const re of [NUMBER_UNIT, METRIC_NUMBER, DECIMAL]) {
    for (const m of text.matchAll(re)) {
      const at = m.index ?? 0;
      const numberAt = at + m[0].lastIndexOf(m[1] ?? "");
      if (seen.has(numberAt)) continue;
      const before = text.slice(Math.max(0, numberAt - 24), numberAt);
      const around = text.slice(Math.max(0, at - 40), at + m[0].length + 40).replace(/\s+/g, " ");
      if (ALLOWED.some((a) => a.test(before))) continue;
      if (ALLOWED_PHRASES.some((a) => a.test(around))) continue;
      if (/^0+$/.test(m[1] ?? "")) continue; // "0 %", "FID 0": bounds, not measurements
      seen.add(numberAt);
      hits.push(around.trim());
    }
  }
  return hits;
}

/** The measured-looking numbers in every markdown cell of a notebook. */
export function notebookFindings(file: string): Finding[] {
  const nb = JSON.parse(readFileSync(file, "utf8")) as Notebook;
  const findings: Finding[] = [];
  nb.cells.forEach((cell, i) => {
    if (cell.cell_type !== "markdown") return;
    for (const text of measuredNumbers(sourceText(cell.source))) findings.push({ notebook: basename(file), cell: i, text });
  });
  return findings;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const ids = process.argv.slice(2);
  const files = notebookFiles().filter((f) => ids.length === 0 || ids.includes(basename(f).slice(0, 2)));
  for (const f of files) for (const x of notebookFindings(f)) console.log(`${x.notebook} cell ${x.cell}: ${x.text}`);
}
