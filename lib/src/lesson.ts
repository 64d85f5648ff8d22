/**
 * Loading a lesson's exercise (or reference) module at run time.
 *
 * Notebooks cannot import `.ts` files from outside notebooks/, and a compiled module would stay
 * cached until the kernel restarts. `lesson("01")` instead transpiles `exercises/01-*.ts` (esbuild,
 * no type check) and recompiles it whenever the file changes (lesson-live.ts), so re-running any
 * cell picks up the learner's latest edit. Packages (`@course/lib`, TensorFlow.js) stay external,
 * so the module shares the notebook's TensorFlow.js instance, backend and seed.
 *
 * Importing this module turns on Node's source maps, so stack traces name the `.ts` lines of the
 * exercise and of the library, not those of the compiled JavaScript.
 */
import { buildSync, type BuildOptions } from "esbuild";
import { existsSync, readdirSync } from "node:fs";
import Module from "node:module";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import { CourseError } from "./errors";
import { liveModule, registerSourceMap, type Compiled } from "./lesson-live";
import { repoRoot } from "./paths";
import type { LessonModules } from "./lesson-types";

process.setSourceMapsEnabled(true);

/** Which code a notebook or the grader runs: the learner's stubs, the references, or a folder. */
export type Target = "exercises" | "solutions" | (string & {});

/** A loaded lesson module: its exports by name. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type LessonModule = Record<string, any>;

/** The target in force: `GENAI_TARGET` if set, else `exercises`. */
export function defaultTarget(): Target {
  return process.env.GENAI_TARGET || "exercises";
}

/** The folder a target names (exercises/ and solutions/ live at the repository root). */
export function targetDir(target: Target = defaultTarget()): string {
  if (target === "exercises" || target === "solutions") return join(repoRoot(), target);
  return isAbsolute(target) ? target : resolve(process.cwd(), target);
}

/** The reference file of lesson `id`: the one `solutions/<id>-*.ts`. */
export function lessonFileName(id: string): string {
  const dir = join(repoRoot(), "solutions");
  const names = readdirSync(dir).filter((f) => f.startsWith(`${id}-`) && f.endsWith(".ts"));
  if (names.length !== 1) {
    throw new CourseError(
      `Lesson "${id}" has ${names.length} files solutions/${id}-*.ts; expected exactly one. ` +
        `Lesson ids are two digits, e.g. "01".`,
    );
  }
  return names[0] as string;
}

/**
 * Transpile a TypeScript file (and the relative files it imports) and evaluate it as a fresh
 * CommonJS module. Syntax errors come back as a CourseError naming file, line and column.
 */
export function loadModule(file: string): LessonModule {
  return compileModule(file).exports as LessonModule;
}

/**
 * How a lesson module is built for Node: one CommonJS bundle of the file and the files it imports,
 * packages left external, an inline source map whose paths are relative to the file's own folder.
 * The grader builds submissions the same way (grader/harness/compile.ts adds its checks).
 */
export function moduleBuildOptions(file: string): BuildOptions & { write: false; metafile: true } {
  return {
    entryPoints: [file], absWorkingDir: dirname(file), bundle: true, packages: "external", platform: "node",
    format: "cjs", target: "node20", sourcemap: "inline", write: false, metafile: true, logLevel: "silent",
  };
}

/** `loadModule`, also returning the files the module was built from (to notice edits). */
export function compileModule(file: string, version = 1): Compiled {
  const abs = resolve(file);
  if (!existsSync(abs)) {
    throw new CourseError(`Cannot load ${relative(process.cwd(), abs) || abs}: no such file.`);
  }
  let code: string;
  let inputs: string[] = [abs];
  try {
    const out = buildSync(moduleBuildOptions(abs));
    code = (out.outputFiles[0] as { text: string }).text;
    inputs = Object.keys(out.metafile?.inputs ?? {}).map((f) => resolve(dirname(abs), f));
  } catch (err) {
    const errors = (err as { errors?: { text: string; location?: { file: string; line: number; column: number } }[] }).errors ?? [];
    const lines = errors.map((e) =>
      e.location ? `  ${e.location.file}:${e.location.line}:${e.location.column}  ${e.text}` : `  ${e.text}`,
    );
    throw new CourseError(
      `${basename(abs)} does not compile:\n${lines.join("\n") || String(err)}\nFix the code there and run again.`,
    );
  }
  const ModuleCtor = Module as unknown as {
    new (id: string, parent?: unknown): NodeModule & { _compile(code: string, file: string): void; paths: string[] };
    _nodeModulePaths(dir: string): string[];
  };
  // Node (22 and later) finds a stack frame's source map by the module's file name, and keeps the
  // first map it saw for a name: a reload (version > 1) gets a name of its own (`01-bigram.ts~2`),
  // whose frames lesson-live.ts maps to the .ts file through the new map.
  const name = version === 1 ? abs : `${abs}~${version}`;
  const mod = new ModuleCtor(name);
  mod.filename = name;
  mod.paths = ModuleCtor._nodeModulePaths(dirname(abs));
  registerSourceMap(name, code);
  mod._compile(code, name);
  return { exports: mod.exports as Record<string, unknown>, inputs };
}

/** The file of lesson `id` inside a target folder. */
export function lessonFile(id: string, target: Target = defaultTarget()): string {
  return join(targetDir(target), lessonFileName(id));
}

/**
 * Load lesson `id`'s functions: the learner's `exercises/<id>-*.ts` by default, the reference
 * `solutions/` with `{ target: "solutions" }` or `GENAI_TARGET=solutions`. The module reloads
 * itself when the file changes, and its errors show the learner's `.ts` lines.
 */
export function lesson<Id extends keyof LessonModules>(id: Id, options?: { target?: Target }): LessonModules[Id];
export function lesson(id: string, options?: { target?: Target }): LessonModule;
export function lesson(id: string, options: { target?: Target } = {}): LessonModule {
  const file = lessonFile(id, options.target ?? defaultTarget());
  if (!existsSync(file)) {
    throw new CourseError(
      `${relative(repoRoot(), file)} is missing. Recreate the exercise stubs with: npm run exercises`,
    );
  }
  let version = 0;
  return liveModule<LessonModule>(file, () => compileModule(file, ++version));
}
