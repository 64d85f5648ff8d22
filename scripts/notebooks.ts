/**
 * `npm run notebooks -- [--smoke] [--timeout=SECONDS] [--out=DIR] [ID|FILE.ipynb ...]`
 *
 * Runs each notebook top to bottom on a fresh tslab kernel in real Jupyter (`jupyter nbconvert
 * --execute`) with GENAI_TARGET=solutions, and fails when any cell fails. Executed copies go to
 * out/notebooks/; the stored notebooks are never written.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { installHelp, KERNEL_NAME, ROOT, UsageError, findJupyter, jupyterEnv, registerKernel, runMain } from "./jupyter.mjs";

const USAGE = `Usage: npm run notebooks -- [--smoke] [--timeout=SECONDS] [--out=DIR] [ID|FILE.ipynb ...]
  Runs notebooks/NN-*.ipynb (all, or the two-digit IDs given, or the notebook files given) in Jupyter.
  --smoke        tiny run (GENAI_SMOKE=1), as CI does
  --timeout=S    seconds one cell may take (default 600 with --smoke, else 7200)
  --out=DIR      where the executed copies go (default out/notebooks)`;

/** Seconds Jupyter waits for the kernel to start: generous, tslab compiles TypeScript at start. */
const STARTUP_TIMEOUT_S = 300;
const NBCONVERT_CONFIG = join(ROOT, "scripts", "jupyter.nbconvert.py");

interface Options { smoke: boolean; timeoutS: number; outDir: string; files: string[] }
/** A cell of an executed notebook: nbclient records when it ran under metadata.execution. */
interface Cell { metadata?: { execution?: Record<string, string> } }
interface Output { output_type: string; name?: string; text?: string | string[]; ename?: string; evalue?: string; traceback?: string[] }
/** What scripts/jupyter.nbconvert.py writes: the cell being run, with its outputs if it failed. */
interface Report {
  cell: number;
  source: string;
  status: "running" | "error";
  ename?: string | null;
  evalue?: string | null;
  traceback?: string[] | null;
  outputs?: Output[];
}
/** `note`: one line for the per-notebook table; `details`: lines explaining a failure. */
interface Result { ok: boolean; seconds: number; note: string; details: string[] }

const text = (t: string | string[] | undefined): string => (Array.isArray(t) ? t.join("") : (t ?? ""));
/** A path for messages: relative to the repository when inside it. */
const shown = (path: string): string => (relative(ROOT, path).startsWith("..") ? path : relative(ROOT, path) || ".");
const stripAnsi = (s: string): string => s.replace(/\u001b\[[0-9;]*[A-Za-z]/g, "");

function parseOptions(args: string[]): Options | null {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        smoke: { type: "boolean", default: false },
        timeout: { type: "string" },
        out: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) return null;
  const smoke = values.smoke || /^(1|true|yes)$/i.test(process.env.GENAI_SMOKE ?? "");
  const timeoutS = values.timeout === undefined ? (smoke ? 600 : 7200) : Number(values.timeout);
  if (!Number.isFinite(timeoutS) || timeoutS <= 0) {
    throw new UsageError(`--timeout must be a number of seconds, got "${values.timeout}".`);
  }
  const cwd = process.env.INIT_CWD ?? process.cwd(); // npm runs scripts from the root
  const outDir = values.out === undefined ? join(ROOT, "out", "notebooks") : resolve(cwd, values.out);
  return { smoke, timeoutS, outDir, files: selectNotebooks(positionals, cwd) };
}

/** notebooks/NN-*.ipynb filtered by two-digit ids, plus any notebook files named directly. */
function selectNotebooks(selectors: string[], cwd: string): string[] {
  const dir = join(ROOT, "notebooks");
  const all = existsSync(dir) ? readdirSync(dir).filter((f) => /^\d\d-.*\.ipynb$/.test(f)).sort() : [];
  if (selectors.length === 0) return all.map((f) => join(dir, f));
  const files: string[] = [];
  for (const s of selectors) {
    if (s.endsWith(".ipynb")) {
      const file = resolve(cwd, s);
      if (!existsSync(file)) throw new UsageError(`No such notebook: ${s}`);
      files.push(file);
    } else if (/^\d{1,2}$/.test(s)) {
      const id = s.padStart(2, "0");
      const hits = all.filter((f) => f.startsWith(`${id}-`));
      if (hits.length === 0) {
        throw new UsageError(`No notebook notebooks/${id}-*.ipynb. Notebooks: ${all.join(", ") || "none"}.`);
      }
      files.push(...hits.map((f) => join(dir, f)));
    } else {
      throw new UsageError(`"${s}" is neither a two-digit notebook id (e.g. 01) nor an .ipynb file.\n${USAGE}`);
    }
  }
  return [...new Set(files)];
}

/** Run a command, keeping the last 64 KiB of its combined output. */
function capture(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString("utf8")).slice(-65536);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.on("error", fail);
    child.on("close", (code, signal) => done({ code: code ?? (signal ? 128 : 1), output }));
  });
}

function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch {
    return null;
  }
}

/** The error text of a failed cell: its stderr and error outputs, minus tslab's own stack frames. */
function errorText(report: Report): string[] {
  const parts: string[] = [];
  for (const o of report.outputs ?? []) {
    if (o.output_type === "stream" && o.name === "stderr") parts.push(text(o.text));
    if (o.output_type === "error") parts.push((o.traceback ?? [`${o.ename}: ${o.evalue}`]).join("\n"));
  }
  if (report.traceback?.length) parts.push(report.traceback.join("\n"));
  else if (report.ename) parts.push(`${report.ename}: ${report.evalue ?? ""}`);
  const internal = /^\s+at .*(node:vm|node_modules[\\/]tslab[\\/]|sigintHandlersWrap|node:internal)/;
  const lines = stripAnsi(parts.join("\n")).split("\n").filter((l) => !internal.test(l));
  while (lines.length && lines[lines.length - 1]?.trim() === "") lines.pop();
  if (lines.length === 0) return ["(the cell failed without printing an error)"];
  return lines.length > 40 ? [...lines.slice(0, 40), `… ${lines.length - 40} more lines`] : lines;
}

/** The last exception line nbconvert printed, e.g. "nbclient.exceptions.CellTimeoutError: …". */
function lastException(output: string): string {
  const lines = stripAnsi(output).split("\n").filter((l) => /^[\w.]*(Error|Exception|Interrupt)\b.*:/.test(l));
  return lines.at(-1)?.trim() ?? (stripAnsi(output).trim().split("\n").slice(-5).join("\n") || "(no output)");
}

/** nbconvert's and the kernel's output without Python or Node stack frames: the last 20 lines. */
function briefLog(output: string): string[] {
  const noise = /^(\s+at |\s{2}File |\s{4}|Traceback \(most recent|\[NbConvertApp\] Converting)|^\s*$/;
  return stripAnsi(output).split("\n").filter((l) => !noise.test(l)).slice(-20);
}

function slowestCell(executed: string): string {
  const nb = readJson<{ cells: Cell[] }>(executed);
  let best = { index: -1, seconds: 0 };
  nb?.cells.forEach((cell, index) => {
    const t = cell.metadata?.execution;
    const start = Date.parse(t?.["iopub.status.busy"] ?? "");
    const end = Date.parse(t?.["iopub.status.idle"] ?? "");
    if (end - start > best.seconds * 1000) best = { index, seconds: (end - start) / 1000 };
  });
  return best.index < 0 ? "" : `slowest: cell ${best.index + 1}, ${best.seconds.toFixed(1)} s`;
}

async function runNotebook(nbconvert: string[], file: string, opts: Options): Promise<Result> {
  const name = basename(file, ".ipynb");
  const reportFile = join(opts.outDir, `${name}.report.json`);
  rmSync(reportFile, { force: true });
  rmSync(join(opts.outDir, `${name}.ipynb`), { force: true });
  const args = [
    ...nbconvert.slice(1), "--config", NBCONVERT_CONFIG, "--to", "notebook", "--execute",
    `--ExecutePreprocessor.kernel_name=${KERNEL_NAME}`,
    `--ExecutePreprocessor.timeout=${opts.timeoutS}`,
    `--ExecutePreprocessor.startup_timeout=${STARTUP_TIMEOUT_S}`,
    "--output-dir", opts.outDir, "--output", name, file,
  ];
  const env = jupyterEnv({
    GENAI_TARGET: "solutions",
    GENAI_SMOKE: opts.smoke ? "1" : "0",
    GENAI_NOTEBOOK_REPORT: reportFile,
  });
  const started = performance.now();
  const { code, output } = await capture(nbconvert[0] as string, args, dirname(file), env);
  const seconds = (performance.now() - started) / 1000;
  const report = readJson<Report>(reportFile);
  rmSync(reportFile, { force: true });
  if (code === 0) return { ok: true, seconds, note: slowestCell(join(opts.outDir, `${name}.ipynb`)), details: [] };

  const where = shown(file);
  if (!report) {
    const details = [`${where} failed before any cell ran (did the kernel start?):`, ...briefLog(output).map((l) => `  ${l}`)];
    return { ok: false, seconds, note: "failed before any cell ran", details };
  }
  const firstLine = report.source.split("\n").find((l) => l.trim() !== "") ?? "";
  const head = `${where} cell ${report.cell + 1} (${firstLine.trim().slice(0, 60)})`;
  if (report.status === "error") {
    return { ok: false, seconds, note: `cell ${report.cell + 1} failed`, details: [`${head} failed:`, ...errorText(report).map((l) => `  ${l}`)] };
  }
  const details = [`${head} did not finish:`, `  ${lastException(output)}`];
  return { ok: false, seconds, note: `cell ${report.cell + 1} did not finish`, details };
}

async function main(): Promise<number> {
  const opts = parseOptions(process.argv.slice(2));
  if (!opts) {
    console.log(USAGE);
    return 0;
  }
  if (opts.files.length === 0) {
    console.log("No notebooks to run: notebooks/ has no NN-*.ipynb files.");
    return 0;
  }
  if (!existsSync(NBCONVERT_CONFIG)) throw new UsageError(`${shown(NBCONVERT_CONFIG)} is missing; restore it from git.`);
  if (!existsSync(join(ROOT, "lib", "dist", "index.js"))) {
    throw new UsageError("The course library is not built (lib/dist is missing). Run `npm run build` first.");
  }
  registerKernel();
  const jupyter = findJupyter(["nbconvert"]);
  if (!jupyter) throw new UsageError(installHelp("Jupyter (its nbconvert command)"));
  mkdirSync(opts.outDir, { recursive: true });

  const mode = opts.smoke ? "smoke run (GENAI_SMOKE=1)" : "full run";
  console.log(`Running ${opts.files.length} notebook(s) in Jupyter: ${mode}, GENAI_TARGET=solutions, ${jupyter.argv.join(" ")}`);
  const width = Math.max(...opts.files.map((f) => basename(f).length));
  const failed: string[] = [];
  const started = performance.now();
  for (const file of opts.files) {
    const r = await runNotebook(jupyter.argv, file, opts);
    const line = `${r.ok ? "PASS" : "FAIL"}  ${basename(file).padEnd(width)}  ${r.seconds.toFixed(1).padStart(6)} s  ${r.note}`;
    console.log(line.trimEnd());
    if (!r.ok) {
      console.log(r.details.join("\n"));
      failed.push(`${basename(file)} (${r.note})`);
    }
  }
  const total = ((performance.now() - started) / 1000).toFixed(1);
  const passed = opts.files.length - failed.length;
  console.log(`\n${passed} passed, ${failed.length} failed in ${total} s. Executed copies: ${shown(opts.outDir)}/`);
  if (failed.length) console.log(`Failed: ${failed.join(", ")}`);
  return failed.length ? 1 : 0;
}

await runMain(main);
