/**
 * The references' outputs, computed once and kept: one file per test file in the expectations
 * folder (GRADE_EXPECTED_DIR, default grader/expected/), holding each probe call's expected value
 * and a fingerprint of everything the value depends on (the test file, its probes, the reference,
 * the library's and engine's source, the harness's serialisation and call setup). Where the
 * reference is present (the instructor's copy), a stale fingerprint discards the file and the
 * values are computed again, in a probe process of the reference's side; where it is absent (a
 * student release), the recorded values are used as they are.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { deserialize, serialize } from "node:v8";
import { repoRoot } from "@course/lib";
import { expect } from "vitest";
import { GraderBug } from "./failures.ts";
import type { ProbeBackend } from "./protocol.ts";

interface StoreFile {
  fingerprint: string;
  /** Key → base64 of v8.serialize(value) (keeps NaN, −0, Maps, Sets, undefined). */
  entries: Record<string, string>;
}

export function expectedDir(): string {
  return process.env.GRADE_EXPECTED_DIR || join(repoRoot(), "grader", "expected");
}

function sha(...parts: (string | Buffer)[]): string {
  const h = createHash("sha256");
  for (const p of parts) h.update(typeof p === "string" ? p : p).update("\0");
  return h.digest("hex");
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts")).sort().map((f) => join(dir, f));
}

let libHash: string | null = null;

/**
 * The library's and the engine's source, the harness's serialisation and its setup of a call:
 * a change there may change every value.
 */
function sharedHash(): string {
  if (libHash === null) {
    const harness = ["./serialise.ts", "./child-setup.ts"].map((f) => new URL(f, import.meta.url).pathname);
    const files = [...filesUnder(join(repoRoot(), "lib", "src")), ...filesUnder(join(repoRoot(), "engine", "src")), ...harness];
    libHash = sha(...files.flatMap((f) => [relative(repoRoot(), f), readFileSync(f)]));
  }
  return libHash;
}

/** The test file running now (vitest knows it). */
export function currentTestFile(): string {
  const path = expect.getState().testPath;
  if (!path) throw new GraderBug("expected outputs: no test file is running (call probe() inside a graded test).");
  return path;
}

/** The store file of a test file: lesson tests by name, hidden tests under hidden/. */
function storeFile(testFile: string): string {
  const testsDir = process.env.GRADE_TESTS_DIR || join(repoRoot(), "grader", "tests");
  const hidden = relative(testsDir, testFile).startsWith("..");
  return join(expectedDir(), ...(hidden ? ["hidden"] : []), `${basename(testFile, ".test.ts")}.json`);
}

interface Open {
  file: string;
  data: StoreFile;
  /** False in a release: the values are recorded and cannot be recomputed. */
  canCompute: boolean;
}

const open = new Map<string, Open>();

/**
 * The store of the test file running now. `reference` is the reference file of the lesson,
 * `probes` the probes file: with the test file they make the fingerprint.
 */
function storeFor(reference: string, probesFile: string): Open {
  const testFile = currentTestFile();
  const canCompute = existsSync(reference);
  const key = `${testFile}\0${reference}\0${probesFile}`;
  const known = open.get(key);
  if (known) return known;
  const file = storeFile(testFile);
  const fingerprint = canCompute
    ? sha(sharedHash(), readFileSync(testFile), readFileSync(probesFile), readFileSync(reference))
    : "recorded";
  let data: StoreFile = { fingerprint, entries: {} };
  if (existsSync(file)) {
    try {
      const stored = JSON.parse(readFileSync(file, "utf8")) as StoreFile;
      if (!canCompute || stored.fingerprint === fingerprint) data = { fingerprint: stored.fingerprint, entries: stored.entries };
    } catch {
      // An unreadable file is computed again.
    }
  }
  const entry = { file, data, canCompute };
  open.set(key, entry);
  return entry;
}

/** The key of one probe call (a cpu call's key names no backend). */
export function probeKey(lessonId: string, probesFile: string, name: string, input: unknown, call: { seed: number; backend: ProbeBackend }): string {
  const backend = call.backend === "cpu" ? [] : [call.backend];
  return sha(lessonId, basename(probesFile), name, serialize(input ?? null), String(call.seed), ...backend).slice(0, 32);
}

function save(store: Open): void {
  mkdirSync(join(store.file, ".."), { recursive: true });
  const partial = `${store.file}.${process.pid}.tmp`;
  writeFileSync(partial, `${JSON.stringify(store.data, null, 1)}\n`);
  renameSync(partial, store.file);
}

/**
 * The reference's output for one probe call: recorded, or computed by `compute` (in a probe
 * process of its own) and kept.
 */
export async function expectedValue(
  where: { reference: string; probesFile: string; key: string; what: string },
  compute: () => Promise<unknown>,
): Promise<unknown> {
  const store = storeFor(where.reference, where.probesFile);
  const hit = store.data.entries[where.key];
  if (hit !== undefined) return deserialize(Buffer.from(hit, "base64"));
  if (!store.canCompute) {
    throw new GraderBug(`no recorded expected output for ${where.what} in ${relative(repoRoot(), store.file)}, and no reference to compute it from (was the release built with this test?).`);
  }
  const value = await compute();
  store.data.entries[where.key] = serialize(value).toString("base64");
  save(store);
  return value;
}
