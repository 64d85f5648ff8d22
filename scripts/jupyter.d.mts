// Types for scripts/jupyter.mjs (plain JavaScript so that `npm start` runs without a compiler).

/** The repository root. */
export const ROOT: string;
/** Project-local Jupyter data folder (git-ignored); JUPYTER_PATH points here. */
export const JUPYTER_DATA_DIR: string;
/** The kernel's name: notebooks' `metadata.kernelspec.name`. */
export const KERNEL_NAME: "tslab";
export const KERNEL_DISPLAY_NAME: string;
/** Where Debian and pip put Jupyter and Python, searched after PATH. */
export const SYSTEM_DIRS: string[];

/** An expected failure: print the message alone (no stack trace) and exit 1. */
export class UsageError extends Error {}

/** The kernelspec's argv: this Node running node_modules/tslab/bin/tslab. */
export function kernelArgv(): string[];
/** Write .jupyter/kernels/tslab/kernel.json (only when it changed) and return its path. */
export function registerKernel(): string;
/** The environment for Jupyter: JUPYTER_PATH starts with the project's data folder. */
export function jupyterEnv(extra?: Record<string, string | undefined>): NodeJS.ProcessEnv;

/** Where to look: PATH's value and the system folders searched after it (tests narrow both). */
export interface SearchPlaces { path?: string; systemDirs?: string[] }
export type JupyterApp = "lab" | "notebook" | "nbconvert";
/** Command lines that may launch `app`: `jupyter app`, `jupyter-app`, `python3 -m module`. */
export function jupyterLaunchers(app: JupyterApp, where?: SearchPlaces): string[][];
/** True when `<argv> --version` exits 0. */
export function launches(argv: string[]): boolean;
/** The first working launcher of one of `apps` (earlier apps preferred), or null. */
export function findJupyter(apps: JupyterApp[], where?: SearchPlaces): { app: JupyterApp; argv: string[] } | null;

/** The Debian/Ubuntu packages named in scripts/jupyter-packages.txt. */
export function aptPackages(): string[];
/** True when running as root. */
export function isRoot(): boolean;
/** `apt install …` (with `sudo` only when not root). */
export function aptInstallCommand(root?: boolean): string;
/** What to tell someone who has no usable Jupyter; `what` names the missing part. */
export function installHelp(what?: string): string;
/** `npm start`'s arguments for Jupyter (adds --allow-root as root) and the notes to print. */
export function startArgs(userArgs: string[], root?: boolean, env?: NodeJS.ProcessEnv): { args: string[]; notes: string[] };
/** Run `main`, printing a UsageError's message alone and exiting 1. */
export function runMain(main: () => number | void | Promise<number | void>): Promise<void>;
