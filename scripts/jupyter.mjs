// Finding Jupyter and registering the course's TypeScript kernel, shared by `npm start`
// (scripts/start.mjs, plain Node) and `npm run notebooks` (scripts/notebooks.ts).
// Types for TypeScript callers: scripts/jupyter.d.mts.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (this file lives in scripts/). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Project-local Jupyter data folder (git-ignored); JUPYTER_PATH points here. */
export const JUPYTER_DATA_DIR = join(ROOT, ".jupyter");

/** The kernel's name: notebooks' `metadata.kernelspec.name`. */
export const KERNEL_NAME = "tslab";

export const KERNEL_DISPLAY_NAME = "TypeScript (course)";

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
  // --enable-source-maps: stack traces name the .ts lines of the library and of the exercises.
  return [process.execPath, "--enable-source-maps", join(ROOT, "node_modules", "tslab", "bin", "tslab"), "kernel", "--config-path", "{connection_file}"];
}

/**
 * Write .jupyter/kernels/tslab/kernel.json (only when it changed) and return its path.
 * Throws UsageError when tslab is not installed.
 */
export function registerKernel() {
  const argv = kernelArgv();
  if (!existsSync(argv[2])) {
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

/** Where Debian and pip put Jupyter and Python, searched after PATH (a pyenv shim may hide them). */
export const SYSTEM_DIRS = ["/usr/bin", "/usr/local/bin"];

/** The Python module behind each Jupyter application (`python3 -m MODULE`). */
const APP_MODULES = { lab: "jupyterlab", notebook: "notebook", nbconvert: "nbconvert" };

/** Executables named `name` in PATH's folders, then `systemDirs`, each once. */
function executables(name, { path = process.env.PATH ?? "", systemDirs = SYSTEM_DIRS } = {}) {
  const found = [];
  for (const dir of [...path.split(delimiter), ...systemDirs]) {
    if (!dir) continue;
    const file = join(resolve(dir), name);
    if (!existsSync(file)) continue;
    const real = realpathSync(file); // /bin is /usr/bin on merged-/usr systems
    if (!found.some((f) => realpathSync(f) === real)) found.push(file);
  }
  return found;
}

/**
 * The ways to launch Jupyter application `app` ("lab", "notebook" or "nbconvert"), in order:
 * `GENAI_JUPYTER app` alone if that is set; else `jupyter app` for every `jupyter` found, the
 * `jupyter-app` script itself (Debian's jupyter-nbconvert), and `python3 -m module`.
 */
export function jupyterLaunchers(app, where = {}) {
  if (process.env.GENAI_JUPYTER) return [[process.env.GENAI_JUPYTER, app]];
  if (process.platform === "win32") return [["jupyter", app], ["python", "-m", APP_MODULES[app] ?? app]];
  return [
    ...executables("jupyter", where).map((j) => [j, app]),
    ...executables(`jupyter-${app}`, where).map((j) => [j]),
    ...executables("python3", where).map((p) => [p, "-m", APP_MODULES[app] ?? app]),
  ];
}

/** True when `<launcher> --version` works (a pyenv shim without Jupyter fails it). */
export function launches(argv) {
  const r = spawnSync(argv[0], [...argv.slice(1), "--version"], { stdio: "ignore", timeout: 60_000, env: jupyterEnv() });
  return r.status === 0;
}

/**
 * The first working launcher of one of `apps`, preferring earlier apps over earlier launchers:
 * `findJupyter(["lab", "notebook"])` picks any JupyterLab before a classic Notebook.
 * Returns `{ app, argv }` (argv: the command line before the app's own arguments), or null.
 */
export function findJupyter(apps, where = {}) {
  for (const app of apps) {
    for (const argv of jupyterLaunchers(app, where)) {
      if (launches(argv)) return { app, argv };
    }
  }
  return null;
}

/** The Debian/Ubuntu packages of scripts/jupyter-packages.txt, the one place they are named. */
export function aptPackages() {
  const text = readFileSync(join(ROOT, "scripts", "jupyter-packages.txt"), "utf8");
  return text.split("\n").map((l) => l.replace(/#.*/, "").trim()).filter(Boolean).join(" ").split(/\s+/);
}

/** True when this process runs as root (a container), where there is often no `sudo`. */
export function isRoot() {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

/** The install command to print: `apt install …`, with `sudo` only when not root. */
export function aptInstallCommand(root = isRoot()) {
  return `${root ? "" : "sudo "}apt install ${aptPackages().join(" ")}`;
}

/** What to tell someone who has no usable Jupyter; `what` names the missing part. */
export function installHelp(what = "Jupyter") {
  const looked = process.env.GENAI_JUPYTER
    ? `GENAI_JUPYTER=${process.env.GENAI_JUPYTER} does not run it`
    : "looked for `jupyter`, `jupyter-*` and `python3 -m …` on PATH and in /usr/bin, /usr/local/bin";
  return [
    `${what} was not found (${looked}).`,
    "Install it one of these ways, then run the command again:",
    `  Debian/Ubuntu:  ${aptInstallCommand()}`,
    "  pip:            pip install jupyterlab",
    "  conda:          conda install -c conda-forge jupyterlab",
  ].join("\n");
}

/**
 * `npm start`'s arguments for Jupyter: the user's, plus `--allow-root` as root. npm keeps options typed before
 * `--` for itself (`npm start --allow-root` arrives as npm_config_allow_root), so say how to pass them.
 */
export function startArgs(userArgs, root = isRoot(), env = process.env) {
  const args = [...userArgs];
  const notes = [];
  const npmKept = Object.keys(env).filter((k) => /^npm_config_(allow_root|no_browser|port|ip)$/.test(k));
  if (npmKept.length) {
    notes.push(`npm kept ${npmKept.map((k) => `--${k.slice(11).replace(/_/g, "-")}`).join(", ")} for itself: ` +
      "options for Jupyter go after `--`, e.g. `npm start -- --no-browser --port 8888`.");
  }
  if ((root || env.npm_config_allow_root) && !args.includes("--allow-root")) {
    args.push("--allow-root");
    notes.push(root ? "Running as root: added --allow-root, which Jupyter requires then." : "Added --allow-root.");
  }
  return { args, notes };
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
