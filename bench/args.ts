/** The command line of `npm run bench` (see bench.ts). */
import { resolve } from "node:path";
import { MODEL_NAMES } from "./catalog";

/** Backend configurations, in the order they run and print. */
/** `wasm-1thread` is `wasm` on one thread (GENAI_WASM_THREADS=1), to show what the threads add. */
export const CONFIGS = ["tensorflow", "webgpu", "wasm", "wasm-1thread", "wasm-stock", "cpu"] as const;
/** cpu (~2 s per convnet step, ~25 s per VAE step) runs only when named. */
const DEFAULT_CONFIGS = CONFIGS.filter((c) => c !== "cpu");

export interface Args {
  json: string | null;
  configs: string[];
  /** --backend was given: an unavailable backend is then an error, not a note. */
  configsNamed: boolean;
  models: string[];
  /** Timed steps at least; more while under minTime seconds, at most 5× repeats. */
  repeats: number;
  minTime: number;
  warmup: number;
  guardSteps: number;
  pytorch: boolean;
  python: string;
  /** Rounds of (every backend, PyTorch at its defaults, PyTorch with the malloc tunables), interleaved. */
  rounds: number;
}

export const USAGE =
  "usage: npm run bench -- [--json FILE] [--backend NAME[,NAME]] [--models a,b] [--repeats N]\n" +
  "                        [--min-time S] [--rounds N] [--smoke] [--no-pytorch] [--python PATH]\n" +
  `  backends: ${CONFIGS.join(", ")} (default: every available one but cpu)\n` +
  `  models:   ${MODEL_NAMES.join(", ")} (default: all)\n` +
  "  --rounds: rounds of every run, interleaved (ABAB); medians over them (default 3)\n" +
  "  --smoke:  1 round, 2 timed steps, 1 warm-up, 3 guard steps (a quick check, not a measurement)";

function list(value: string, allowed: readonly string[], what: string): string[] {
  const items = value.split(",").map((s) => s.trim()).filter(Boolean);
  const bad = items.filter((s) => !allowed.includes(s));
  if (bad.length || !items.length) {
    const named = bad.join(", ") || "(none)";
    throw new Error(`unknown ${what}: ${named}; choose from ${allowed.join(", ")}`);
  }
  return items;
}

function number(flag: string, value: string | undefined, min: number): number {
  const n = Number(value);
  if (value === undefined || !Number.isFinite(n) || n < min) {
    throw new Error(`${flag} needs a number ≥ ${min}, got ${value ?? "nothing"}`);
  }
  return n;
}

/** Parses argv; throws an Error whose message says what is wrong. */
export function parseArgs(argv: string[]): Args {
  const a: Args = {
    json: null, configs: [...DEFAULT_CONFIGS], configsNamed: false, models: [...MODEL_NAMES],
    repeats: 10, minTime: 1, warmup: 2, guardSteps: 5, pytorch: true, python: "/usr/bin/python3", rounds: 3,
  };
  let roundsGiven = false;
  let smoke = false;
  let repeatsGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] as string;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith("--")) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === "--json") a.json = resolve(process.env.INIT_CWD ?? process.cwd(), value());
    else if (flag === "--backend" || flag === "--backends") {
      a.configs = list(value(), CONFIGS, "backend");
      a.configsNamed = true;
    } else if (flag === "--models") a.models = list(value(), MODEL_NAMES, "model");
    else if (flag === "--repeats") {
      a.repeats = Math.floor(number(flag, value(), 1));
      repeatsGiven = true;
    } else if (flag === "--min-time") a.minTime = number(flag, value(), 0);
    else if (flag === "--rounds") {
      a.rounds = Math.floor(number(flag, value(), 1));
      roundsGiven = true;
    } else if (flag === "--smoke") smoke = true;
    else if (flag === "--no-pytorch") a.pytorch = false;
    else if (flag === "--python") a.python = value();
    else throw new Error(`unknown argument ${flag}`);
  }
  if (smoke) {
    if (!repeatsGiven) a.repeats = 2;
    Object.assign(a, { minTime: 0, warmup: 1, guardSteps: 3 });
    if (!roundsGiven) a.rounds = 1;
  }
  // Catalog order, whatever order they were named in.
  a.models = MODEL_NAMES.filter((m) => a.models.includes(m));
  a.configs = CONFIGS.filter((c) => a.configs.includes(c));
  return a;
}
