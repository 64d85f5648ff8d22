// Finding Jupyter and registering the course's TypeScript kernel, shared by `npm start`
// (scripts/start.mjs, plain Node) and `npm run notebooks` (scripts/notebooks.ts).
// Types for TypeScript callers: scripts/jupyter.d.mts.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (this file lives in scripts/). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Project-local Jupyter data folder (git-ignored); JUPYTER_PATH points here. */
export const JUPYTER_DATA_DIR = join(ROOT, ".jupyter");

/** The kernel's name: notebooks' `metadata.kernelspec.name`. */
export const KERNEL_NAME = "tslab";

export const KERNEL_DISPLAY_NAME = "TypeScript (course)";

/** What to tell someone who has no usable Jupyter; `what` names the missing part. */
export function installHelp(what = "Jupyter") {
  const looked = process.env.GENAI_JUPYTER
    ? `GENAI_JUPYTER=${process.env.GENAI_JUPYTER} does not run Jupyter`
    : "looked for `jupyter` on PATH and in /usr/bin, /usr/local/bin";
  return [
    `${what} was not found (${looked}).`,
    "Install it one of these ways, then run the command again:",
    "  pip:            pip install jupyterlab",
    "  Debian/Ubuntu:  sudo apt install jupyter-notebook",
    "  conda:          conda install -c conda-forge jupyterlab",
  ].join("\n");
}

/** An expected failure: print the message alone (no stack trace) and exit 1. */
export class UsageError extends Error {
  name = "UsageError";
}

/**
 * The kernelspec's argv: this Node runs the project's own tslab, so no global `tslab` is needed.
 * Same shape as tslab's own `tslab install` (python/install.py): `<tslab> kernel --config-path
 * {connection_file}`, the flag and its value kept as two words (tslab issue #36).
 */
export function kernelArgv() {
  return [process.execPath, join(ROOT, "node_modules", "tslab", "bin", "tslab"), "kernel", "--config-path", "{connection_file}"];
}

/**
 * Write .jupyter/kernels/tslab/kernel.json (only when it changed) and return its path.
 * Throws UsageError when tslab is not installed.
 */
export function registerKernel() {
  const argv = kernelArgv();
  if (!existsSync(argv[1])) {
    throw new UsageError("tslab is not installed in node_modules/. Run `npm install` first (or `npm ci`).");
  }
  const spec = { argv, display_name: KERNEL_DISPLAY_NAME, language: "typescript" };
  const dir = join(JUPYTER_DATA_DIR, "kernels", KERNEL_NAME);
  const file = join(dir, "kernel.json");
  const text = `${JSON.stringify(spec, null, 2)}\n`;
  if (!existsSync(file) || readFileSync(file, "utf8") !== text) {
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`; // write then rename: a Jupyter starting now never sees half a file
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  }
  return file;
}

/** The environment for Jupyter: JUPYTER_PATH starts with the project's data folder. */
export function jupyterEnv(extra = {}) {
  const env = { ...process.env, ...extra };
  const rest = (process.env.JUPYTER_PATH ?? "").split(delimiter).filter((p) => p && resolve(p) !== JUPYTER_DATA_DIR);
  env.JUPYTER_PATH = [JUPYTER_DATA_DIR, ...rest].join(delimiter);
  return env;
}

/**
 * `jupyter` executables to try, in order: GENAI_JUPYTER alone if set, else PATH, then where
 * Debian and pip put them (a pyenv shim on PATH may hide the system's Jupyter).
 */
export function jupyterCandidates() {
  if (process.env.GENAI_JUPYTER) return [process.env.GENAI_JUPYTER];
  if (process.platform === "win32") return ["jupyter"];
  const dirs = [...(process.env.PATH ?? "").split(delimiter), "/usr/bin", "/usr/local/bin"];
  const seen = new Set();
  const found = [];
  for (const dir of dirs) {
    if (!dir) continue;
    const file = join(resolve(dir), "jupyter");
    if (!seen.has(file) && existsSync(file)) {
      seen.add(file);
      found.push(file);
    }
  }
  return found;
}

/** True when `<jupyter> <subcommand> --version` works (a pyenv shim without Jupyter fails it). */
export function hasSubcommand(jupyter, subcommand) {
  const r = spawnSync(jupyter, [subcommand, "--version"], { stdio: "ignore", timeout: 60_000, env: jupyterEnv() });
  return r.status === 0;
}

/**
 * The first Jupyter that has one of `subcommands`, preferring earlier subcommands over earlier
 * executables: `findJupyter(["lab", "notebook"])` picks any JupyterLab before a classic Notebook.
 * Returns null when none has any of them.
 */
export function findJupyter(subcommands) {
  const candidates = jupyterCandidates();
  for (const subcommand of subcommands) {
    for (const command of candidates) {
      if (hasSubcommand(command, subcommand)) return { command, subcommand };
    }
  }
  return null;
}

/** Run `main`, printing a UsageError's message alone and exiting 1. */
export async function runMain(main) {
  try {
    const code = await main();
    process.exitCode = typeof code === "number" ? code : 0;
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(err.message);
      process.exitCode = 1;
    } else {
      throw err;
    }
  }
}
