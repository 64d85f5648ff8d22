/**
 * `npm run quality -- [ids…] [--json FILE] [--smoke] [--readme] [--save-checkpoints]`: run each lesson's full-mode
 * measurement (scripts/quality/NN-*.ts) and write
 *   { "machine": {…}, "lessons": { "01": { "metrics": { "val_nll": … }, "seconds": … } } }.
 * `--readme` writes the numbers into README.md's lesson table (between `<!-- qNN -->` markers).
 * `--merge A.json …` measures nothing: it merges saved reports into --json (see merge()).
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Metrics, QualityContext } from "./quality/types.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const qualityDir = join(root, "scripts", "quality");

interface LessonResult { metrics: Metrics; seconds: number }

function parseArgs(argv: string[]) {
  const jsonAt = argv.indexOf("--json");
  const json = jsonAt >= 0 ? argv[jsonAt + 1] : "quality.json";
  if (!json || json.startsWith("--")) throw new Error("--json needs a file name, e.g. --json quality.json");
  const ids = argv.filter((a, i) => /^\d\d$/.test(a) && argv[i - 1] !== "--json");
  return { json, ids, smoke: argv.includes("--smoke"), readme: argv.includes("--readme"), saveCheckpoints: argv.includes("--save-checkpoints") };
}

/** A lesson's measurement module: scripts/quality/NN-name.ts. */
interface QualityModule {
  measure: (context: QualityContext) => Promise<Metrics>;
  /** README cell text for the metrics, e.g. "val NLL 2.442 (exact counts 2.442)". */
  summary?: (metrics: Metrics) => string;
}

/** README cell text for a lesson's result. */
export function summarise(mod: QualityModule, r: LessonResult): string {
  const text = mod.summary ? mod.summary(r.metrics) : Object.entries(r.metrics).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(", ");
  return `${text} · ${r.seconds.toFixed(1)} s`;
}

function updateReadme(results: Record<string, string>): void {
  const file = join(root, "README.md");
  let text = readFileSync(file, "utf8");
  for (const [id, cell] of Object.entries(results)) {
    const re = new RegExp(`<!-- q${id} -->.*?<!-- /q${id} -->`);
    if (!re.test(text)) { console.log(`README.md has no <!-- q${id} --> marker; skipped`); continue; }
    text = text.replace(re, `<!-- q${id} -->${cell}<!-- /q${id} -->`);
  }
  writeFileSync(file, text);
}

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const mergeAt = argv.indexOf("--merge");
  if (mergeAt >= 0) return merge(args, argv.slice(mergeAt + 1).filter((a) => a.endsWith(".json") && argv[argv.indexOf(a) - 1] !== "--json"));
  if (args.smoke) process.env.GENAI_SMOKE = "1";
  else delete process.env.GENAI_SMOKE;
  const files = readdirSync(qualityDir).filter((f) => /^\d\d-.*\.ts$/.test(f)).sort();
  const chosen = args.ids.length ? files.filter((f) => args.ids.includes(f.slice(0, 2))) : files;
  const missing = args.ids.filter((id) => !files.some((f) => f.startsWith(`${id}-`)));
  if (missing.length) console.log(`no quality measurement for lesson(s) ${missing.join(", ")} yet`);
  const lessons: Record<string, LessonResult> = {};
  const cells: Record<string, string> = {};
  for (const f of chosen) {
    const id = f.slice(0, 2);
    const t0 = performance.now();
    const mod = (await import(pathToFileURL(join(qualityDir, f)).href)) as QualityModule;
    const context: QualityContext = { outDir: dirname(resolve(args.json)), saveCheckpoints: args.saveCheckpoints };
    const result = { metrics: await mod.measure(context), seconds: (performance.now() - t0) / 1000 };
    lessons[id] = result;
    cells[id] = summarise(mod, result);
    console.log(`${id}: ${cells[id]}`);
  }
  writeReport(args, lessons, cells);
  return 0;
}

/** Write the JSON report (and README cells with --readme). */
function writeReport(args: ReturnType<typeof parseArgs>, lessons: Record<string, LessonResult>, cells: Record<string, string>, machine?: unknown): void {
  machine ??= { cpus: cpus().length, cpu: cpus()[0]?.model ?? "?", memory_gib: Math.round(totalmem() / 2 ** 30), node: process.version };
  writeFileSync(args.json, JSON.stringify({ mode: args.smoke ? "smoke" : "full", machine, lessons }, null, 2) + "\n");
  console.log(`wrote ${args.json}`);
  if (args.readme) updateReadme(cells);
}

/**
 * `--merge A.json B.json …`: measure nothing; take the lessons of the given reports (and of the
 * --json file when it exists; later files win), write them to --json and, with --readme, the
 * README cells from each lesson's summary(). Lessons measured in separate runs become one report.
 */
async function merge(args: ReturnType<typeof parseArgs>, files: string[]): Promise<number> {
  const lessons: Record<string, LessonResult> = {};
  let machine: unknown, mode = "full";
  for (const file of [args.json, ...files]) {
    let report: { mode: string; machine: unknown; lessons: Record<string, LessonResult> };
    try {
      report = JSON.parse(readFileSync(file, "utf8"));
    } catch (e) {
      if (file === args.json) continue;
      throw new Error(`--merge: cannot read ${file}: ${(e as Error).message}`);
    }
    if (report.mode !== "full") mode = report.mode;
    machine ??= report.machine;
    Object.assign(lessons, report.lessons);
  }
  const cells: Record<string, string> = {};
  for (const f of readdirSync(qualityDir).filter((x) => /^\d\d-.*\.ts$/.test(x))) {
    const r = lessons[f.slice(0, 2)];
    if (r) cells[f.slice(0, 2)] = summarise((await import(pathToFileURL(join(qualityDir, f)).href)) as QualityModule, r);
  }
  writeReport({ ...args, smoke: mode !== "full" }, Object.fromEntries(Object.entries(lessons).sort()), cells, machine);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
