/**
 * Notebooks are stored without outputs, so diffs show only what someone wrote.
 *
 *   npx tsx scripts/strip-notebooks.ts [--check] [FILE.ipynb ...]
 *
 * Strips outputs, execution counts and run-time cell metadata in place (default: every
 * notebooks/*.ipynb; files that need no change are left untouched). With --check nothing is
 * written: it lists the notebooks that still need stripping and exits 1 if there are any.
 * The helpers here also back scripts/test/notebooks-stored.test.ts.
 */
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT } from "./jupyter.mjs";

export const NOTEBOOKS_DIR = join(ROOT, "notebooks");

export interface Cell {
  id?: string;
  cell_type: string;
  metadata: Record<string, unknown>;
  source: string | string[];
  outputs?: unknown[];
  execution_count?: number | null;
  attachments?: unknown;
}
export interface Notebook {
  cells: Cell[];
  metadata: Record<string, unknown> & { kernelspec?: { name?: string } };
  nbformat: number;
  nbformat_minor: number;
}

/** Cell metadata that Jupyter and nbclient write while running; never worth storing. */
const RUNTIME_CELL_METADATA = ["execution", "ExecuteTime", "collapsed", "scrolled"];

/** Every notebooks/*.ipynb, sorted. */
export function notebookFiles(): string[] {
  return readdirSync(NOTEBOOKS_DIR)
    .filter((f) => f.endsWith(".ipynb"))
    .sort()
    .map((f) => join(NOTEBOOKS_DIR, f));
}

export const sourceText = (s: string | string[]): string => (Array.isArray(s) ? s.join("") : s);

/** Remove outputs and run-time state in place; returns what was removed (empty: already clean). */
export function stripNotebook(nb: Notebook): string[] {
  const removed = new Set<string>();
  for (const cell of nb.cells) {
    if (cell.cell_type === "code") {
      if (!Array.isArray(cell.outputs) || cell.outputs.length > 0) removed.add("outputs");
      if (cell.execution_count !== null) removed.add("execution counts");
      cell.outputs = [];
      cell.execution_count = null;
    }
    for (const key of RUNTIME_CELL_METADATA) {
      if (cell.metadata && key in cell.metadata) {
        delete cell.metadata[key];
        removed.add(`cell metadata "${key}"`);
      }
    }
  }
  if ("widgets" in nb.metadata) {
    delete nb.metadata.widgets;
    removed.add("widget state");
  }
  return [...removed];
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
}

/** JSON as Jupyter itself writes notebooks: sorted keys, one-space indent, final newline. */
export function formatNotebook(nb: Notebook): string {
  return `${JSON.stringify(sortKeys(nb), null, 1)}\n`;
}

const CELL_KEYS: Record<string, string[]> = {
  code: ["id", "cell_type", "metadata", "source", "outputs", "execution_count"],
  markdown: ["id", "cell_type", "metadata", "source", "attachments"],
  raw: ["id", "cell_type", "metadata", "source", "attachments"],
};
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Why a stored notebook is not as the course keeps them: nbformat 4 structure, the `tslab`
 * kernel, no outputs, and a first code cell that calls `setup(`. Empty when all is well.
 */
export function storedProblems(text: string): string[] {
  let nb: unknown;
  try {
    nb = JSON.parse(text);
  } catch (err) {
    return [`not valid JSON: ${(err as Error).message}`];
  }
  if (!isObject(nb)) return ["not a notebook: the top level is not a JSON object"];
  const problems: string[] = [];
  if (nb.nbformat !== 4) problems.push(`nbformat is ${String(nb.nbformat)}, expected 4`);
  if (!Number.isInteger(nb.nbformat_minor)) problems.push("nbformat_minor is missing or not an integer");
  const extra = Object.keys(nb).filter((k) => !["cells", "metadata", "nbformat", "nbformat_minor"].includes(k));
  if (extra.length) problems.push(`unknown top-level keys: ${extra.join(", ")}`);
  if (!isObject(nb.metadata)) problems.push("metadata is missing");
  const kernel = isObject(nb.metadata) && isObject(nb.metadata.kernelspec) ? nb.metadata.kernelspec.name : undefined;
  if (kernel !== "tslab") problems.push(`metadata.kernelspec.name is ${JSON.stringify(kernel)}, expected "tslab"`);
  if (!Array.isArray(nb.cells)) return [...problems, "cells is missing"];

  const needsIds = (nb.nbformat_minor as number) >= 5;
  const ids = new Set<string>();
  nb.cells.forEach((cell: unknown, i: number) => {
    const at = `cell ${i + 1}`;
    if (!isObject(cell) || !(String(cell.cell_type) in CELL_KEYS)) {
      problems.push(`${at}: cell_type must be code, markdown or raw`);
      return;
    }
    const unknown = Object.keys(cell).filter((k) => !CELL_KEYS[cell.cell_type as string]?.includes(k));
    if (unknown.length) problems.push(`${at}: unknown keys for a ${String(cell.cell_type)} cell: ${unknown.join(", ")}`);
    if (!isObject(cell.metadata)) problems.push(`${at}: metadata is missing`);
    const src = cell.source;
    if (typeof src !== "string" && !(Array.isArray(src) && src.every((s) => typeof s === "string"))) {
      problems.push(`${at}: source must be a string or a list of strings`);
    }
    if (needsIds) {
      const id = cell.id;
      if (typeof id !== "string" || !/^[a-zA-Z0-9_-]{1,64}$/.test(id)) problems.push(`${at}: id is missing or invalid`);
      else if (ids.has(id)) problems.push(`${at}: id "${id}" is used twice`);
      else ids.add(id);
    }
    if (cell.cell_type === "code") {
      if (!Array.isArray(cell.outputs)) problems.push(`${at}: a code cell needs "outputs": []`);
      else if (cell.outputs.length > 0) problems.push(`${at}: has outputs (strip them)`);
      if (cell.execution_count !== null) problems.push(`${at}: execution_count is not null (strip it)`);
    }
    if (isObject(cell.metadata)) {
      const runtime = RUNTIME_CELL_METADATA.filter((k) => k in (cell.metadata as object));
      if (runtime.length) problems.push(`${at}: run-time metadata ${runtime.join(", ")} (strip it)`);
    }
  });
  const firstCode = (nb.cells as Cell[]).find((c) => isObject(c) && c.cell_type === "code");
  if (!firstCode || !sourceText(firstCode.source ?? "").includes("setup(")) {
    problems.push("the first code cell does not call setup( (every notebook starts with `await setup({ seed })`)");
  }
  return problems;
}

function main(args: string[]): number {
  const check = args.includes("--check");
  const unknown = args.filter((a) => a.startsWith("-") && a !== "--check");
  if (unknown.length) {
    console.error(`Unknown option ${unknown.join(" ")}. Usage: npx tsx scripts/strip-notebooks.ts [--check] [FILE.ipynb ...]`);
    return 1;
  }
  const named = args.filter((a) => !a.startsWith("-")).map((a) => resolve(process.env.INIT_CWD ?? process.cwd(), a));
  const files = named.length ? named : notebookFiles();
  let dirty = 0;
  for (const file of files) {
    const where = relative(process.cwd(), file) || file;
    let nb: Notebook;
    try {
      nb = JSON.parse(readFileSync(file, "utf8")) as Notebook;
    } catch (err) {
      console.error(`${where}: cannot read it as a notebook (${(err as Error).message}).`);
      return 1;
    }
    if (!Array.isArray(nb.cells) || !isObject(nb.metadata)) {
      console.error(`${where}: not an nbformat 4 notebook (no cells or metadata).`);
      return 1;
    }
    const removed = stripNotebook(nb);
    if (removed.length === 0) continue;
    dirty++;
    if (check) {
      console.log(`${where}: has ${removed.join(", ")}`);
    } else {
      writeFileSync(file, formatNotebook(nb));
      console.log(`${where}: stripped ${removed.join(", ")}`);
    }
  }
  if (check && dirty) {
    console.log(`\n${dirty} notebook(s) need stripping. Run: npx tsx scripts/strip-notebooks.ts`);
    return 1;
  }
  console.log(check ? `${files.length} notebook(s) checked: all stripped.` : `${files.length} notebook(s) checked, ${dirty} stripped.`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}
