/**
 * What `npm run quality` measured, read from docs/quality.json, so that a notebook quotes the
 * committed numbers instead of copying them into its prose (where they would drift).
 */
import { readFileSync } from "node:fs";
import { CourseError } from "./errors";
import { repoPath, shownPath } from "./paths";

/** One lesson's full-mode measurement. */
export interface Measurement {
  /** The lesson id, e.g. "05". */
  lesson: string;
  /** Every number the lesson's quality run recorded, by name (e.g. `val_loss`). */
  metrics: Readonly<Record<string, number>>;
  /** Wall-clock seconds of the whole measurement. */
  seconds: number;
  /** The machine it ran on, in words: "2 CPUs (AMD EPYC), 24 GiB, Node v20.20.2". */
  machine: string;
  /** One metric; throws, naming the metrics there are, when it was not recorded. */
  get(name: string): number;
}

interface QualityReport {
  mode?: string;
  machine?: { cpus?: number; cpu?: string; memory_gib?: number; node?: string };
  lessons?: Record<string, { metrics?: Record<string, number>; seconds?: number }>;
}

function readReport(file: string): QualityReport {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new CourseError(`Cannot read ${shownPath(file)}: the quality report is missing. ` +
      "It is committed with the repository; restore it with `git checkout docs/quality.json`.");
  }
  try {
    return JSON.parse(text) as QualityReport;
  } catch (err) {
    throw new CourseError(`${shownPath(file)} is not valid JSON (${(err as Error).message}). ` +
      "Restore it with `git checkout docs/quality.json`, or re-measure with `npm run quality`.");
  }
}

/**
 * The numbers `npm run quality -- <lesson>` recorded in docs/quality.json (or `file`).
 * @example measured("05").get("val_loss")  // the GPT's validation loss, nats per character
 */
export function measured(lesson: string, file = repoPath("docs", "quality.json")): Measurement {
  const report = readReport(file);
  if (report.mode !== undefined && report.mode !== "full") {
    throw new CourseError(`${shownPath(file)} holds a ${report.mode}-mode run; notebooks quote full-mode ` +
      "measurements. Restore the committed report with `git checkout docs/quality.json`.");
  }
  const entry = report.lessons?.[lesson];
  if (!entry?.metrics) {
    const have = Object.keys(report.lessons ?? {}).sort().join(", ") || "none";
    throw new CourseError(`${shownPath(file)} has no measurement of lesson "${lesson}" (it has: ${have}). ` +
      `Measure it with \`npm run quality -- ${lesson} --json out/q${lesson}.json\`, then merge it: ` +
      `\`npm run quality -- --merge out/q${lesson}.json --json docs/quality.json\`.`);
  }
  const metrics = entry.metrics;
  const m = report.machine ?? {};
  return {
    lesson,
    metrics,
    seconds: entry.seconds ?? Number.NaN,
    machine: `${m.cpus ?? "?"} CPUs (${m.cpu ?? "?"}), ${m.memory_gib ?? "?"} GiB, Node ${m.node ?? "?"}`,
    get(name: string): number {
      const value = metrics[name];
      if (typeof value !== "number") {
        throw new CourseError(`Lesson ${lesson}'s measurement in ${shownPath(file)} has no metric "${name}". ` +
          `It has: ${Object.keys(metrics).join(", ")}.`);
      }
      return value;
    },
  };
}
