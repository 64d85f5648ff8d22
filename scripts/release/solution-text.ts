/**
 * Finding reference text in a release: the `BEGIN SOLUTION` markers, and the body of every marked
 * region of solutions/ (whitespace collapsed), in any file of the release tree — sources, compiled
 * or bundled files, source maps, notebooks. A few bodies may stay in the library, which has to
 * implement the same maths (library-may-hold.txt lists them, each with its reason).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { listExercises } from "../exercise-gen.ts";

/** A marked region of a reference file: its exercise id, the function it is in, its collapsed text. */
export interface SolutionRegion {
  exercise: string;
  symbol: string;
  body: string;
}

/** The marked solution regions of a reference file (those of 20 characters or more, collapsed). */
export function solutionRegions(source: string, fileName = "solution.ts"): SolutionRegion[] {
  const info = listExercises(source, fileName);
  const bodies: string[] = [];
  let current: string[] | null = null;
  for (const line of source.split("\n")) {
    if (line.includes("// BEGIN SOLUTION")) current = [];
    else if (current && /\/\/ END SOLUTION\s*$/.test(line)) {
      bodies.push(collapse(current.join("\n")));
      current = null;
    } else if (current) current.push(line);
  }
  return bodies
    .map((body, i) => ({ exercise: info[i]?.id ?? "?", symbol: info[i]?.symbol ?? "?", body }))
    .filter((r) => r.body.length >= 20);
}

/** The marked solution regions of a reference file, each as collapsed text. */
export function solutionBodies(source: string): string[] {
  return solutionRegions(source).map((r) => r.body);
}

export function collapse(text: string): string {
  return text.replace(/\\n/g, " ").replace(/\s+/g, " ").trim();
}

function filesUnder(dir: string, skip: Set<string>): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (skip.has(name)) continue;
    const path = join(dir, name);
    const s = statSync(path);
    if (s.isDirectory()) out.push(...filesUnder(path, skip));
    else if (s.isFile() && s.size < 50_000_000) out.push(path);
  }
  return out;
}

/** One place that holds solution text: `where` (path in the tree), and which reference body. */
export interface Finding {
  where: string;
  /** The reference file (`06-vae.ts`) and function (`reparameterise`); null for the marker text. */
  ref: { file: string; symbol: string } | null;
  text: string;
}

/** Every place in `tree` that holds solution text. node_modules and .git are not searched. */
export function findSolutionText(tree: string, solutionsDir: string): Finding[] {
  const regions = readdirSync(solutionsDir)
    .filter((f) => f.endsWith(".ts"))
    .flatMap((f) => solutionRegions(readFileSync(join(solutionsDir, f), "utf8"), f).map((r) => ({ file: f, ...r })));
  const found: Finding[] = [];
  for (const file of filesUnder(tree, new Set(["node_modules", ".git"]))) {
    const raw = readFileSync(file, "utf8");
    const text = collapse(raw.replace(/\\"/g, '"'));
    const where = relative(tree, file);
    if (raw.includes("BEGIN SOLUTION")) found.push({ where, ref: null, text: `${where}: the text "BEGIN SOLUTION"` });
    for (const r of regions) {
      if (!text.includes(r.body)) continue;
      found.push({ where, ref: { file: r.file, symbol: r.symbol }, text: `${where}: the body of ${r.symbol} in ${r.file} ("${r.body.slice(0, 60)}…")` });
    }
  }
  return found;
}

/** Every place in `tree` that holds solution text: `file: what`. */
export function solutionTextIn(tree: string, solutionsDir: string): string[] {
  return findSolutionText(tree, solutionsDir).map((f) => f.text);
}

const ALLOWED = new URL("./library-may-hold.txt", import.meta.url);

/** `06-vae.ts reparameterise` → why: the bodies the library may hold word for word. */
export function allowedInLibrary(text = readFileSync(ALLOWED, "utf8")): Map<string, string> {
  const allowed = new Map<string, string>();
  for (const line of text.split("\n")) {
    const m = /^(\d\d-[\w-]+\.ts)\s+(\w+)\s+(.+)$/.exec(line.trim());
    if (m) allowed.set(`${m[1]} ${m[2]}`, m[3] as string);
  }
  return allowed;
}

/** Findings split: what the library may hold (`lib/…`, allowed body) and everything else (problems). */
export function judge(found: Finding[], allowed: Map<string, string>): { shared: Finding[]; problems: Finding[] } {
  const ok = (f: Finding): boolean => f.where.startsWith("lib/") && f.ref !== null && allowed.has(`${f.ref.file} ${f.ref.symbol}`);
  return { shared: found.filter(ok), problems: found.filter((f) => !ok(f)) };
}
