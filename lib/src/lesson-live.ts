/**
 * A lesson module that stays current, and errors that point at the learner's line.
 *
 * `lesson("01")` returns a live view of `exercises/01-*.ts`: every use checks whether the file
 * (or a file it imports) changed and, if so, compiles it again, so re-running any cell picks up
 * the learner's latest edit. An error thrown inside keeps the course's message and the frames in
 * the learner's files (source-mapped to the `.ts` lines); the kernel's own frames are dropped.
 */
import { statSync } from "node:fs";
import { SourceMap } from "node:module";
import { inspect } from "node:util";
import { dirname, relative, resolve, sep } from "node:path";
import { CourseError } from "./errors";
import { repoRoot } from "./paths";

/** A compiled module and the files it was built from, with their modification times. */
export interface Compiled {
  exports: Record<string, unknown>;
  inputs: readonly string[];
}

const mtime = (file: string): number => {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return -1;
  }
};

/**
 * Source maps of recompiled modules (named `file.ts~N`), by that name. Node (22 and later) maps
 * a file's first compilation itself but not later ones, so their frames are mapped here.
 */
const recompiled = new Map<string, { map: SourceMap; dir: string }>();

/** Remember the inline source map of `code`, compiled under the module name `name`. */
export function registerSourceMap(name: string, code: string): void {
  const inline = /\/\/# sourceMappingURL=data:application\/json;base64,(\S+)\s*$/.exec(code);
  if (!inline?.[1] || !name.includes("~")) return;
  const payload = JSON.parse(Buffer.from(inline[1], "base64").toString("utf8")) as ConstructorParameters<typeof SourceMap>[0];
  recompiled.set(name, { map: new SourceMap(payload), dir: dirname(name) });
}

/** A stack line whose location is a recompiled module's generated code, mapped to the .ts line. */
function mapFrame(line: string): string {
  return line.replace(/(\S+~\d+):(\d+):(\d+)/, (whole, name: string, l: string, c: string) => {
    const known = recompiled.get(name);
    const entry = known?.map.findEntry(Number(l) - 1, Number(c) - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number } | undefined;
    if (!known || entry?.originalSource === undefined) return whole;
    const source = resolve(known.dir, entry.originalSource.replace(/^file:\/\//, ""));
    return `${source}:${(entry.originalLine ?? 0) + 1}:${(entry.originalColumn ?? 0) + 1}`;
  });
}

/** Frames worth showing: the learner's folder and the course library's sources. */
function frameFilter(file: string): (line: string) => "keep" | "cell" | "drop" {
  const root = repoRoot();
  const mine = dirname(file) + sep;
  const libSrc = `${root}${sep}lib${sep}src${sep}`;
  return (line) => {
    if (/evalmachine\.<anonymous>|\[eval\]/.test(line)) return "cell"; // a notebook cell (tslab runs cells in vm)
    if (/lesson(-live)?\.[tj]s:/.test(line)) return "drop"; // this wrapper
    if (line.includes(mine) || line.includes(libSrc)) return "keep";
    return "drop";
  };
}

/**
 * Rewrite `err.stack` to the message plus the learner's frames (paths relative to the repository)
 * and one line for the notebook cell; `console.error(err)` then prints just that.
 */
export function learnerError(err: unknown, file: string): unknown {
  if (!(err instanceof Error) || (err as { __learnerStack?: boolean }).__learnerStack) return err;
  const stack = err.stack ?? String(err);
  const at = stack.search(/\n\s+at /);
  const head = at < 0 ? stack : stack.slice(0, at);
  const decide = frameFilter(file);
  const frames: string[] = [];
  for (const raw of at < 0 ? [] : stack.slice(at + 1).split("\n")) {
    const line = mapFrame(raw);
    const kind = decide(line);
    if (kind === "keep") frames.push(line.split(repoRoot() + sep).join(""));
    else if (kind === "cell" && !frames.at(-1)?.includes("notebook cell")) frames.push("    at (your notebook cell)");
  }
  const text = [head, ...frames.slice(0, 12)].join("\n");
  Object.defineProperty(err, "stack", { value: text, configurable: true, writable: true });
  Object.defineProperty(err, "__learnerStack", { value: true });
  // util.inspect (console.error, which the kernel uses) would add the error's own fields.
  Object.defineProperty(err, inspect.custom, { value: () => text });
  return err;
}

const isClass = (f: unknown): boolean => typeof f === "function" && /^class[\s{]/.test(Function.prototype.toString.call(f));

/**
 * A live view of the module `load()` compiles from `file`. Functions are wrapped: each call
 * recompiles first if a source changed, then runs the current version.
 */
export function liveModule<T extends object>(file: string, load: () => Compiled): T {
  let current = load();
  let stamps = current.inputs.map(mtime);
  const refresh = (): Record<string, unknown> => {
    if (current.inputs.some((f, i) => mtime(f) !== stamps[i])) {
      const next = load(); // throws a CourseError naming file:line when the edit does not compile
      current = next;
      stamps = next.inputs.map(mtime);
      console.log(`(reloaded ${relative(repoRoot(), file)}: it changed since the last run)`);
    }
    return current.exports;
  };
  const wrappers = new Map<string, (...args: unknown[]) => unknown>();
  const wrap = (name: string): ((...args: unknown[]) => unknown) => {
    const cached = wrappers.get(name);
    if (cached) return cached;
    const wrapper = (...args: unknown[]): unknown => {
      const fn = refresh()[name];
      if (typeof fn !== "function") {
        throw new CourseError(`${relative(repoRoot(), file)} no longer exports a function ${name}.`);
      }
      try {
        const out = (fn as (...a: unknown[]) => unknown)(...args);
        if (out instanceof Promise) return out.catch((e: unknown) => Promise.reject(learnerError(e, file)));
        return out;
      } catch (e) {
        throw learnerError(e, file);
      }
    };
    Object.defineProperty(wrapper, "name", { value: name });
    wrappers.set(name, wrapper);
    return wrapper;
  };
  return new Proxy({} as T, {
    get: (_t, key) => {
      const value = refresh()[key as string];
      if (typeof key !== "string" || typeof value !== "function" || isClass(value)) return value;
      return wrap(key);
    },
    has: (_t, key) => key in refresh(),
    ownKeys: () => Reflect.ownKeys(refresh()),
    getOwnPropertyDescriptor: (_t, key) =>
      key in refresh() ? { configurable: true, enumerable: true, writable: false, value: (refresh() as Record<string | symbol, unknown>)[key] } : undefined,
  });
}
