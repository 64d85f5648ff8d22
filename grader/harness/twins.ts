/**
 * Delegation to the library. Several exercises re-derive a library function (its "library twin",
 * named in the exercise's doc comment: "Library twin: `splitHeads` from @course/lib …"). Calling
 * the twin from the exercise would pass every comparison without the work, so a graded module
 * that refers to the twin of one of its exercises (a named import, `lib.splitHeads` on a
 * namespace import, a re-export) does not get that exercise's points: the exercise's function
 * fails with a message that says so. Uses that could reach any export (`export * from`, a
 * computed `lib[name]`, `require`, the namespace passed around as a value) count for every twin.
 * The check reads the TypeScript source with the compiler's parser; it does not run the code.
 */
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type * as TS from "typescript";

// Loaded on first use (~0.5 s), so only test files of lessons with twins pay for it.
let ts: typeof TS;
const loadTypescript = (): typeof TS => (ts ??= createRequire(import.meta.url)("typescript") as typeof TS);

const LESSON_TYPES = fileURLToPath(new URL("../../lib/src/lessons/", import.meta.url));
const LIBRARY = /^@course\/lib(\/|$)/;

/** What a module takes from the library: export names (with where), and any use that reaches them all. */
export interface LibraryUses {
  names: Map<string, string>;
  /** Why every export may be reached, with where; null when every use names its export. */
  any: { why: string; where: string } | null;
}

/** Exercise function → its library twins, from the lesson's declarations (lib/src/lessons/NN-*.ts). */
export function lessonTwins(lessonId: string, dir = LESSON_TYPES): Map<string, string[]> {
  const twins = new Map<string, string[]>();
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.startsWith(`${lessonId}-`) && f.endsWith(".ts"));
  } catch {
    return twins;
  }
  for (const file of files) {
    const text = readFileSync(join(dir, file), "utf8");
    for (const m of text.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*export declare function (\w+)/g)) {
      const names = [...(m[1] as string).matchAll(/Library twin: `(\w+)`/g)].map((t) => t[1] as string);
      if (names.length > 0) twins.set(m[2] as string, names);
    }
  }
  return twins;
}

const isLibrary = (node: TS.Node | undefined): boolean => !!node && ts.isStringLiteral(node) && LIBRARY.test(node.text);

function where(sf: TS.SourceFile, node: TS.Node, display: string): string {
  const { line, character } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
  return `${display}:${line + 1}:${character + 1}`;
}

/** Names bound to the whole library by imports: `* as lib`, a default import, `import lib = require(…)`. */
function collectImports(sf: TS.SourceFile, uses: LibraryUses, display: string): Set<string> {
  const namespaces = new Set<string>();
  const note = (name: string, node: TS.Node): void => {
    if (!uses.names.has(name)) uses.names.set(name, where(sf, node, display));
  };
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && isLibrary(st.moduleSpecifier) && st.importClause && !st.importClause.isTypeOnly) {
      const { name, namedBindings } = st.importClause;
      if (name) namespaces.add(name.text);
      if (namedBindings && ts.isNamespaceImport(namedBindings)) namespaces.add(namedBindings.name.text);
      if (namedBindings && ts.isNamedImports(namedBindings)) {
        for (const el of namedBindings.elements) if (!el.isTypeOnly) note((el.propertyName ?? el.name).text, el);
      }
    } else if (ts.isExportDeclaration(st) && isLibrary(st.moduleSpecifier) && !st.isTypeOnly) {
      if (st.exportClause && ts.isNamedExports(st.exportClause)) {
        for (const el of st.exportClause.elements) if (!el.isTypeOnly) note((el.propertyName ?? el.name).text, el);
      } else uses.any ??= { why: 're-exports the library ("export * from")', where: where(sf, st, display) };
    } else if (ts.isImportEqualsDeclaration(st) && ts.isExternalModuleReference(st.moduleReference) && isLibrary(st.moduleReference.expression)) {
      namespaces.add(st.name.text);
    }
  }
  return namespaces;
}

/** A use of a namespace identifier: `lib.x` and `lib["x"]` name x; anything else reaches every export. */
function namespaceUse(node: TS.Identifier, sf: TS.SourceFile, uses: LibraryUses, display: string): void {
  const parent = node.parent;
  const at = where(sf, node, display);
  if (ts.isImportClause(parent) || ts.isNamespaceImport(parent) || ts.isImportEqualsDeclaration(parent)) return;
  if (ts.isPropertyAccessExpression(parent) && parent.expression === node) {
    if (!uses.names.has(parent.name.text)) uses.names.set(parent.name.text, at);
  } else if (ts.isQualifiedName(parent) && parent.left === node) {
    return; // a type such as lib.Gan: erased before the code runs
  } else if (ts.isElementAccessExpression(parent) && parent.expression === node && ts.isStringLiteralLike(parent.argumentExpression)) {
    if (!uses.names.has(parent.argumentExpression.text)) uses.names.set(parent.argumentExpression.text, at);
  } else {
    uses.any ??= { why: `uses the library namespace "${node.text}" other than as ${node.text}.name`, where: at };
  }
}

/** What `source` (a module of the graded folder, shown as `display`) takes from @course/lib. */
export function libraryUses(source: string, fileName: string, display: string): LibraryUses {
  loadTypescript();
  const kind = /\.[cm]?jsx?$/.test(fileName) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, kind);
  const uses: LibraryUses = { names: new Map(), any: null };
  const namespaces = collectImports(sf, uses, display);
  const visit = (node: TS.Node): void => {
    if (ts.isIdentifier(node) && namespaces.has(node.text)) namespaceUse(node, sf, uses, display);
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const loads = callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === "require");
      const arg = node.arguments[0];
      if (loads && (isLibrary(arg) || !(arg && ts.isStringLiteralLike(arg)))) {
        uses.any ??= { why: "loads the library with require() or import(), or loads a module by a computed name", where: where(sf, node, display) };
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return uses;
}

/** Exercise function → why it gets no points, for the twins a module's uses reach. */
export function delegations(twins: Map<string, string[]>, uses: LibraryUses, display: string): Record<string, string> {
  const refused: Record<string, string> = {};
  for (const [exercise, names] of twins) {
    const hit = names.find((n) => uses.names.has(n));
    if (hit !== undefined) {
      refused[exercise] =
        `${exercise} is an exercise, and ${display} uses the library's own ${hit} (at ${uses.names.get(hit)}): ` +
        `no points for handing the work to the library. Write ${exercise} yourself, without ${hit} from @course/lib ` +
        "(the notebook compares yours with it), then grade again.";
    } else if (uses.any) {
      refused[exercise] =
        `${exercise} is an exercise with a library twin (${names.join(", ")}), and ${display} ${uses.any.why} (at ${uses.any.where}), ` +
        `which could hand the work to it: no points. Import the library's functions by name (import { … } from "@course/lib"), ` +
        `not ${names.join(", ")}, then grade again.`;
    }
  }
  return refused;
}
