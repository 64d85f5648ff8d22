/**
 * Finding reference text in a release: the `BEGIN SOLUTION` markers, and the body of every marked
 * region of solutions/ (whitespace collapsed), in any file of the release tree — sources, compiled
 * or bundled files, source maps, notebooks.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

/** The marked solution regions of a reference file, each as collapsed text. */
export function solutionBodies(source: string): string[] {
  const bodies: string[] = [];
  let current: string[] | null = null;
  for (const line of source.split("\n")) {
    if (line.includes("// BEGIN SOLUTION")) current = [];
    else if (current && /\/\/ END SOLUTION\s*$/.test(line)) {
      bodies.push(collapse(current.join("\n")));
      current = null;
    } else if (current) current.push(line);
  }
  return bodies.filter((b) => b.length >= 20);
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

/** Every place in `tree` that holds solution text: `file: what`. node_modules is not searched. */
export function solutionTextIn(tree: string, solutionsDir: string): string[] {
  const bodies = readdirSync(solutionsDir)
    .filter((f) => f.endsWith(".ts"))
    .flatMap((f) => solutionBodies(readFileSync(join(solutionsDir, f), "utf8")).map((body) => ({ file: f, body })));
  const problems: string[] = [];
  for (const file of filesUnder(tree, new Set(["node_modules", ".git"]))) {
    const raw = readFileSync(file, "utf8");
    const text = collapse(raw.replace(/\\"/g, '"'));
    const where = relative(tree, file);
    if (raw.includes("BEGIN SOLUTION")) problems.push(`${where}: the text "BEGIN SOLUTION"`);
    for (const { file: ref, body } of bodies) {
      if (text.includes(body)) problems.push(`${where}: a solution body of ${ref} ("${body.slice(0, 60)}…")`);
    }
  }
  return problems;
}
