/** Running the real grade CLI from the self-tests, and checking the reports it writes. */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { GradeReport, TestEntry } from "../../cli/report.ts";

export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const FIXTURES = join(ROOT, "grader", "selftest", "fixtures");

export type Entry = TestEntry;
export type Report = GradeReport;

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
  jsonFile: string;
  report: Report;
  gradescope: { score: number; max_score: number; tests: { name: string; score: number; max_score: number; status: string; output: string }[] };
  junit: string;
}

/** The environment of a nested run: without the outer vitest's variables, without colours. */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { NO_COLOR: "1" };
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith("VITEST") && !k.startsWith("GRADE_") && k !== "NODE_ENV" && k !== "TEST") env[k] = v;
  }
  return env;
}

function readJson<T>(file: string): T {
  if (!existsSync(file)) throw new Error(`${file} was not written`);
  return JSON.parse(readFileSync(file, "utf8")) as T;
}

/** Run `grade.ts args… --json <jsonFile>` with the fixture solutions and tests unless overridden. */
export function runCli(args: string[], jsonFile: string, env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const tsx = join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");
  const defaults = ["--solutions", join(FIXTURES, "solutions"), "--tests", join(FIXTURES, "tests")];
  const argv = [tsx, join(ROOT, "grader", "grade.ts"), ...defaults, ...args, "--json", jsonFile];
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { cwd: ROOT, env: { ...childEnv(), ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => {
      const dir = join(jsonFile, "..");
      try {
        resolve({
          code: code ?? -1, stdout, stderr, ms: Date.now() - started, jsonFile,
          report: readJson(jsonFile),
          gradescope: readJson(join(dir, "results.json")),
          junit: readFileSync(join(dir, "junit.xml"), "utf8"),
        });
      } catch (err) {
        reject(new Error(`${(err as Error).message}\nstdout:\n${stdout}\nstderr:\n${stderr}`));
      }
    });
  });
}

/** Run tasks with at most `limit` at a time. */
export async function pooled<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await (tasks[i] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, lane));
  return results;
}

/**
 * Problems with an XML document: unbalanced tags, a raw `<` or `&` in text or attributes.
 * (A small well-formedness check; enough for the JUnit file the grader writes.)
 */
export function xmlProblems(text: string): string[] {
  const problems: string[] = [];
  if (!text.startsWith('<?xml version="1.0" encoding="UTF-8"?>')) problems.push("no XML declaration");
  const body = text.replace(/^<\?xml[^>]*\?>/, "");
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w-]*)((?:\s+[\w-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  for (let m = tag.exec(body); m; m = tag.exec(body)) {
    const between = body.slice(last, m.index);
    if (between.includes("<")) problems.push(`stray "<" before ${m[0]}`);
    if (/&(?!(amp|lt|gt|quot|apos);)/.test(between + (m[3] ?? ""))) problems.push(`unescaped "&" near ${m[0]}`);
    last = tag.lastIndex;
    const [, close, name, , selfClose] = m as unknown as string[];
    if (selfClose) continue;
    if (!close) stack.push(name as string);
    else if (stack.pop() !== name) problems.push(`</${name}> closes the wrong element`);
  }
  if (body.slice(last).trim()) problems.push("text after the root element");
  if (stack.length) problems.push(`unclosed <${stack.join(">, <")}>`);
  return problems;
}
