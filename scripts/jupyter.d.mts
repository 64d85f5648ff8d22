// Types for scripts/jupyter.mjs (plain JavaScript so that `npm start` runs without a compiler).

/** The repository root. */
export const ROOT: string;
/** Project-local Jupyter data folder (git-ignored); JUPYTER_PATH points here. */
export const JUPYTER_DATA_DIR: string;
/** The kernel's name: notebooks' `metadata.kernelspec.name`. */
export const KERNEL_NAME: "tslab";
export const KERNEL_DISPLAY_NAME: string;
/** What to tell someone who has no usable Jupyter; `what` names the missing part. */
export function installHelp(what?: string): string;

/** An expected failure: print the message alone (no stack trace) and exit 1. */
export class UsageError extends Error {}

/** The kernelspec's argv: this Node running node_modules/tslab/bin/tslab. */
export function kernelArgv(): string[];
/** Write .jupyter/kernels/tslab/kernel.json (only when it changed) and return its path. */
export function registerKernel(): string;
/** The environment for Jupyter: JUPYTER_PATH starts with the project's data folder. */
export function jupyterEnv(extra?: Record<string, string | undefined>): NodeJS.ProcessEnv;
/** `jupyter` executables to try, in order: GENAI_JUPYTER alone if set, else PATH, /usr/bin, /usr/local/bin. */
export function jupyterCandidates(): string[];
/** True when `<jupyter> <subcommand> --version` works. */
export function hasSubcommand(jupyter: string, subcommand: string): boolean;
/** The first Jupyter that has one of `subcommands` (earlier subcommands preferred), or null. */
export function findJupyter(subcommands: string[]): { command: string; subcommand: string } | null;
/** Run `main`, printing a UsageError's message alone and exiting 1. */
export function runMain(main: () => number | void | Promise<number | void>): Promise<void>;
