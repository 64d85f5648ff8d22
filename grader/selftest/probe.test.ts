/** `probe()` called directly: serialisation, leak counting, seeds, and who is blamed for a failure. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, test } from "vitest";
import { GraderBug, probe, probeTargetOnly, ProbeFailure, targetName } from "../harness/index.ts";
import { idleProcessIds } from "../harness/host.ts";
import { FIXTURES } from "./helpers/cli.ts";

const PROBES = new URL("./fixtures/probes/98-fixture.ts", import.meta.url);

function useTarget(submission: string): void {
  process.env.GRADE_TARGET = join(FIXTURES, "submissions", submission);
}

beforeEach(() => {
  process.env.GRADE_SOLUTIONS_DIR = join(FIXTURES, "solutions");
  useTarget("correct");
});

describe("probe()", () => {
  test("serialises tensors, typed arrays and nested values the same way for both sides", async () => {
    const started = performance.now();
    const r = await probe("98", PROBES, "mixed");
    const ms = performance.now() - started;
    expect(r.actual).toEqual({
      counts: { shape: [2, 3], dtype: "int32", data: [1, 2, 3, 4, 5, 6] },
      affine: { shape: [1, 2], dtype: "float32", data: [1.5, 2.5] },
      typed: [0.5, 1.5],
      nested: [[1, 2], [3, 4]],
      text: "ok",
      flag: true,
      missing: null,
    });
    expect(r.expected).toEqual(r.actual);
    expect(r.leakedTensors).toBe(0);
    console.info(`one probe (reference + target, fresh process): ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(10_000);
  });

  test("counts leaked tensors but not returned ones", async () => {
    const r = await probeTargetOnly("98", PROBES, "leakOne");
    expect(r.actual).toEqual({ shape: [], dtype: "float32", data: [2] });
    expect(r.leakedTensors).toBe(1);
  });

  test("gives both sides the same seed, and the seed option changes it", async () => {
    const a = await probe<number>("98", PROBES, "meanSquare", { count: 5 }, { seed: 1 });
    const b = await probe<number>("98", PROBES, "meanSquare", { count: 5 }, { seed: 2 });
    expect(a.actual).toBe(a.expected);
    expect(b.actual).not.toBe(a.actual);
  });

  test("a stub fails even when the probe catches its NotImplementedError", async () => {
    expect((await probe("98", PROBES, "caught")).actual).toBe(2.5);
    useTarget("stub");
    const err = await probe("98", PROBES, "caught").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProbeFailure);
    expect((err as Error).message).toMatch(/^not implemented: exercise 98\.mean-square/);
  });

  test("the reference's failure is a GraderBug, and so is an unknown probe", async () => {
    process.env.GRADE_SOLUTIONS_DIR = join(FIXTURES, "submissions", "stub");
    const bug = await probe("98", PROBES, "meanSquare", { count: 3 }).catch((e: unknown) => e);
    expect(bug).toBeInstanceOf(GraderBug);
    expect((bug as Error).message).toMatch(/^grader bug: the reference .* failed in probe "meanSquare": not implemented/);
    const unknown = await probeTargetOnly("98", PROBES, "nope").catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(GraderBug);
    expect((unknown as Error).message).toMatch(/has no probe named "nope" \(its `probes` export has: affine, meanSquare/);
  });

  test("stops a probe whose tensors exhaust memory (tensor data is not on the JS heap)", async () => {
    const err = await probeTargetOnly("98", PROBES, "tensorHog", undefined, { memoryMb: 128 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProbeFailure);
    expect((err as Error).message).toMatch(/^probe "tensorHog" on .* ran out of memory \(the limit is 128 MB\)/);
  });

  test("tells apart how the probe process ended, and the test process carries on", async () => {
    const ended = async (name: string): Promise<string> => {
      const err = await probeTargetOnly("98", PROBES, name, undefined, { memoryMb: 128 }).catch((e: unknown) => e);
      expect(err, name).toBeInstanceOf(ProbeFailure);
      return (err as Error).message.replace(/ on \S+/, "");
    };
    expect(await ended("fillHeap")).toMatch(/^probe "fillHeap" ran out of memory \(the limit is 128 MB\)/);
    expect(await ended("exitCode")).toMatch(/^probe "exitCode" called process\.exit\(4\); remove it/);
    expect(await ended("exitInTimer")).toMatch(/^probe "exitInTimer" called process\.exit\(5\); remove it/);
    expect(await ended("neverSettles")).toMatch(/^probe "neverSettles" never returned: the probe process ended/);
    expect(await ended("signal")).toBe('probe "signal" crashed the probe process (signal SIGSEGV).');
    expect(await ended("throwInTimer")).toMatch(/^probe "throwInTimer" crashed with an error thrown outside the call \(a timer or callback\?\): RangeError: from a timer$/);
    expect((await probe("98", PROBES, "meanSquare", { count: 3 })).actual).toBeTypeOf("number");
  });

  test.skipIf(process.platform !== "linux")("leaves no probe process behind after a time-out", async () => {
    const err = await probeTargetOnly("98", PROBES, "spin", undefined, { timeoutMs: 1000 }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/^probe "spin" on .* did not finish within 1 s/);
    await new Promise((r) => setTimeout(r, 200));
    const children = readdirSync("/proc").filter((pid) => {
      try {
        return /^\d+$/.test(pid) && readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ")[1] === String(process.pid);
      } catch {
        return false;
      }
    });
    // Only idle probe processes, kept for the next call of their side, may be left.
    const probeProcesses = children.filter((pid) => readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("child-entry.cjs"));
    expect(probeProcesses.filter((pid) => !idleProcessIds().includes(Number(pid)))).toEqual([]);
  });
});

describe("a probe process takes the next call of its side only after a clean call", () => {
  const calls = async (): Promise<number> => (await probeTargetOnly<number>("98", PROBES, "processCalls")).actual;

  test("after a result or a thrown error: same process, module evaluated afresh, variables disposed", async () => {
    const first = await calls();
    expect(await calls()).toBe(first + 1);
    expect((await probeTargetOnly("98", PROBES, "moduleCalls")).actual).toBe(1);
    expect((await probeTargetOnly("98", PROBES, "moduleCalls")).actual).toBe(1);
    expect((await probeTargetOnly("98", PROBES, "namedVariable")).actual).toBe(3);
    expect((await probeTargetOnly("98", PROBES, "namedVariable")).actual).toBe(3);
    useTarget("stub");
    const before = await calls();
    expect(await probe("98", PROBES, "caught").catch((e: unknown) => e)).toBeInstanceOf(ProbeFailure);
    expect(await calls()).toBe(before + 1);
  });

  test("after a time-out, a crash or a call that leaves a timer running: a new process", async () => {
    await calls();
    await probeTargetOnly("98", PROBES, "spin", undefined, { timeoutMs: 1000 }).catch(() => null);
    expect(await calls()).toBe(1);
    await calls();
    await probeTargetOnly("98", PROBES, "throwInTimer").catch(() => null);
    expect(await calls()).toBe(1);
    await calls();
    expect((await probeTargetOnly("98", PROBES, "leaveTimer")).actual).toBe(1);
    expect(await calls()).toBe(1);
  });

  test("a process that ends between calls (an error thrown later by an unref'd timer): the next call runs in a new one", async () => {
    await calls();
    expect((await probeTargetOnly("98", PROBES, "throwLater")).actual).toBe(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(await calls()).toBe(1);
    expect((await probeTargetOnly("98", PROBES, "throwLater")).actual).toBe(1);
    expect(await calls()).toBeGreaterThanOrEqual(1);
  });

  test("targetName() names what is graded", () => {
    expect(targetName()).toBe("grader/selftest/fixtures/submissions/correct");
    process.env.GRADE_TARGET = "solutions";
    expect(targetName()).toBe("solutions");
  });
});
