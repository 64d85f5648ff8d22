/**
 * Compiling in the test process what the probe process will run: the harness (child.ts), a probes
 * file and the side's lesson module, each bundled with esbuild into CommonJS with an inline source
 * map (stacks then point at the .ts lines). The probe process cannot start esbuild (it may not
 * start processes) and reads no TypeScript from disk. A graded module may import only files in
 * its own folder and packages: `../solutions/…` is refused here, before any of it runs. An
 * exercise whose module hands its work to the exercise's library twin is marked refused
 * (twins.ts); the probe process then fails that exercise's function.
 */
import { build, type Plugin } from "esbuild";
import { readFileSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { moduleBuildOptions } from "@course/lib";
import type { Compiled } from "./protocol.ts";
import { delegations, lessonTwins, libraryUses, type LibraryUses } from "./twins.ts";

/** A module that does not compile, or imports from outside its folder; the message says where. */
export class CompileError extends Error {
  override name = "CompileError";
}

function inside(dir: string, file: string): boolean {
  const rel = relative(dir, file);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

/** Relative and absolute imports must stay inside `dir`; packages stay external. */
function confine(dir: string, display: string): Plugin {
  return {
    name: "confine",
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === "entry-point") return undefined;
        if (!args.path.startsWith(".") && !isAbsolute(args.path)) return { path: args.path, external: true };
        const target = resolve(args.resolveDir, args.path);
        if (inside(dir, target)) return undefined;
        return { errors: [{ text: `imports "${args.path}", which is outside ${display}: a submission may import only its own files and packages.` }] };
      });
    },
  };
}

interface EsbuildFailure {
  errors?: { text: string; location?: { file: string; line: number; column: number } | null }[];
}

interface Bundle {
  code: string;
  /** The source files in the bundle (packages stay external), absolute. */
  inputs: string[];
}

async function bundle(file: string, plugins: Plugin[]): Promise<Bundle> {
  const out = await build({ ...moduleBuildOptions(file), tsconfigRaw: {}, plugins });
  const inputs = Object.keys(out.metafile.inputs).map((p) => resolve(dirname(file), p));
  return { code: (out.outputFiles[0] as { text: string }).text, inputs };
}

/** The exercises of `file`'s lesson that its bundle hands to their library twins (twins.ts). */
function refusedExercises(file: string, display: string, inputs: string[]): Record<string, string> {
  const twins = lessonTwins(/^(\d\d)-/.exec(basename(file))?.[1] ?? "");
  if (twins.size === 0) return {};
  const uses: LibraryUses = { names: new Map(), any: null };
  const dir = dirname(display);
  for (const input of inputs.filter((f) => /\.[cm]?[jt]sx?$/.test(f))) {
    const shown = input === file ? display : `${dir}/${relative(dirname(file), input)}`;
    const one = libraryUses(readFileSync(input, "utf8"), input, shown);
    for (const [name, at] of one.names) if (!uses.names.has(name)) uses.names.set(name, at);
    uses.any ??= one.any;
  }
  return delegations(twins, uses, display);
}

function compileError(err: unknown, file: string): CompileError {
  const errors = (err as EsbuildFailure).errors ?? [];
  const lines = errors.map((e) =>
    e.location ? `  ${e.location.file}:${e.location.line}:${e.location.column}  ${e.text}` : `  ${e.text}`,
  );
  return new CompileError(`${basename(file)} does not compile:\n${lines.join("\n") || String(err)}\nFix the code there and run again.`);
}

const cache = new Map<string, Promise<unknown>>();

function cached<T>(key: string, make: () => Promise<T>): Promise<T> {
  let hit = cache.get(key) as Promise<T> | undefined;
  if (!hit) {
    hit = make();
    cache.set(key, hit);
    hit.catch(() => cache.delete(key));
  }
  return hit;
}

function stamp(file: string): string {
  const s = statSync(file);
  return `${file}:${s.mtimeMs}:${s.size}`;
}

let precomputed: Record<string, Record<string, string>> | null = null;

/**
 * The refusals the grade CLI worked out before the run (GRADE_REFUSED_FILE, see refusalsFor), so
 * that each test process need not load the TypeScript parser; undefined when it has none for `key`.
 */
function refusedBefore(key: string): Record<string, string> | undefined {
  const file = process.env.GRADE_REFUSED_FILE;
  if (!file) return undefined;
  try {
    precomputed ??= JSON.parse(readFileSync(file, "utf8")) as Record<string, Record<string, string>>;
  } catch {
    precomputed = {};
  }
  return precomputed[key];
}

/** A graded module (learner code, or the reference): only its own folder and packages. */
export async function compileSide(file: string, display: string): Promise<Compiled> {
  const dir = dirname(file);
  const key = `side ${stamp(file)}`;
  return cached(key, async () => {
    const b = await bundle(file, [confine(dir, `${display.split("/").slice(0, -1).join("/") || "its folder"}/`)]).catch((err: unknown) => {
      throw compileError(err, file);
    });
    return { file, code: b.code, refused: refusedBefore(`${key} ${display}`) ?? refusedExercises(file, display, b.inputs) };
  });
}

/**
 * For the grade CLI, once per run: the refused exercises of each lesson file that has library
 * twins, keyed for compileSide (files that do not compile are left to the test processes).
 */
export async function refusalsFor(files: { file: string; display: string }[]): Promise<Record<string, Record<string, string>>> {
  const out: Record<string, Record<string, string>> = {};
  for (const { file, display } of files) {
    if (lessonTwins(/^(\d\d)-/.exec(basename(file))?.[1] ?? "").size === 0) continue;
    try {
      out[`side ${stamp(file)} ${display}`] = (await compileSide(file, display)).refused ?? {};
    } catch (err) {
      if (!(err instanceof CompileError)) throw err;
    }
  }
  return out;
}

/** A probes file (the grader's own code). */
export async function compileProbes(file: string): Promise<Compiled> {
  return { file, code: await cached(`probes ${stamp(file)}`, async () => (await bundle(file, [])).code) };
}

const HARNESS = fileURLToPath(new URL("./child.ts", import.meta.url));

/** The probe process's harness, child.ts with the harness files it imports. */
export function compileHarness(): Promise<string> {
  return cached(`harness ${stamp(HARNESS)}`, async () => (await bundle(HARNESS, [])).code);
}
