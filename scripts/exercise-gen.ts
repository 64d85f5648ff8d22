/**
 * Single-source exercises: a solution file holds the reference code between
 *   // BEGIN SOLUTION exercise=01.bigram-counts section="2. Counting pairs"
 *   // END SOLUTION
 * markers; the exercise stub is the same file with each marked region replaced by a TODO and a
 * `throw new NotImplementedError(...)`. Signatures, docs and types stay exactly as written.
 */

const BEGIN = /^(\s*)\/\/ BEGIN SOLUTION(.*)$/;
const END = /^\s*\/\/ END SOLUTION\s*$/;
const IMPORT_LINE = /^import\s.*from\s+["'][^"']+["'];?\s*$/;

export interface StubContext {
  /** The solution's file name, e.g. `01-bigram.ts`. */
  fileName: string;
  /** The lesson notebook's path from the repository root, e.g. `notebooks/01-bigram.ipynb`. */
  notebook: string;
}

export interface ExerciseInfo {
  id: string;
  symbol: string;
  section: string;
}

function parseAttrs(text: string, where: string): { exercise: string; section: string } {
  const exercise = /exercise=([\w.-]+)/.exec(text)?.[1];
  const section = /section="([^"]+)"/.exec(text)?.[1];
  if (!exercise || !section) {
    throw new Error(`${where}: a BEGIN SOLUTION marker needs exercise=<id> and section="<title>".`);
  }
  return { exercise, section };
}

/** The name of the function or method whose body contains line `at`. */
function enclosingSymbol(lines: readonly string[], at: number): string {
  for (let i = at; i >= 0; i--) {
    const m = /(?:function\s+(\w+))|^\s*(?:(?:public|private|protected|static|async)\s+)*(\w+)\s*\(.*\)\s*[:{]/.exec(lines[i] ?? "");
    if (m) return (m[1] ?? m[2]) as string;
  }
  return "this function";
}

/** Every exercise a solution file defines, in order. */
export function listExercises(source: string, fileName: string): ExerciseInfo[] {
  const lines = source.split("\n");
  const found: ExerciseInfo[] = [];
  lines.forEach((line, i) => {
    const m = BEGIN.exec(line);
    if (m) {
      const { exercise, section } = parseAttrs(m[2] ?? "", `${fileName}:${i + 1}`);
      found.push({ id: exercise, symbol: enclosingSymbol(lines, i), section });
    }
  });
  return found;
}

function stubLines(indent: string, info: ExerciseInfo, ctx: StubContext): string[] {
  const where = `${ctx.notebook}, section "${info.section}"`;
  return [
    `${indent}// TODO(${info.id}): write ${info.symbol} — ${where} explains it.`,
    `${indent}throw new NotImplementedError(${JSON.stringify(info.id)}, ${JSON.stringify(`exercises/${ctx.fileName}`)}, ${JSON.stringify(info.symbol)}, ${JSON.stringify(where)});`,
  ];
}

function ensureImport(lines: string[]): string[] {
  if (lines.some((l) => /\bNotImplementedError\b/.test(l) && IMPORT_LINE.test(l))) return lines;
  const courseImport = lines.findIndex((l) => IMPORT_LINE.test(l) && /from\s+["']@course\/lib["']/.test(l));
  if (courseImport >= 0) {
    const line = lines[courseImport] as string;
    const withName = line.replace(/import\s*\{\s*/, "import { NotImplementedError, ");
    if (withName !== line) return lines.map((l, i) => (i === courseImport ? withName : l));
  }
  let lastImport = -1;
  lines.forEach((l, i) => { if (IMPORT_LINE.test(l)) lastImport = i; });
  const out = [...lines];
  out.splice(lastImport + 1, 0, 'import { NotImplementedError } from "@course/lib";');
  return out;
}

/** The exercise stub generated from one solution file's text. */
export function generateStub(source: string, ctx: StubContext): string {
  const lines = source.split("\n");
  const out: string[] = [];
  let open: { indent: string; info: ExerciseInfo; line: number } | null = null;
  lines.forEach((line, i) => {
    const begin = BEGIN.exec(line);
    if (begin) {
      if (open) throw new Error(`${ctx.fileName}:${i + 1}: BEGIN SOLUTION inside another one (line ${open.line}).`);
      const { exercise, section } = parseAttrs(begin[2] ?? "", `${ctx.fileName}:${i + 1}`);
      open = { indent: begin[1] ?? "", info: { id: exercise, section, symbol: enclosingSymbol(lines, i) }, line: i + 1 };
      return;
    }
    if (END.test(line)) {
      if (!open) throw new Error(`${ctx.fileName}:${i + 1}: END SOLUTION without BEGIN SOLUTION.`);
      out.push(...stubLines(open.indent, open.info, ctx));
      open = null;
      return;
    }
    if (!open) out.push(line);
  });
  if (open) throw new Error(`${ctx.fileName}: BEGIN SOLUTION at line ${(open as { line: number }).line} is never closed.`);
  const header = [
    `// Exercise file generated from solutions/${ctx.fileName} by \`npm run exercises\`.`,
    "// Replace each TODO + throw with your code; `npm run grade` checks it. The generator never",
    "// overwrites this file once you have changed it.",
  ];
  return [...header, ...ensureImport(out)].join("\n");
}
