/** `probe()` called directly: serialisation, leak counting, seeds, and who is blamed for a failure. */
import { join } from "node:path";
import { beforeEach, describe, expect, test } from "vitest";
import { GraderBug, probe, probeTargetOnly, ProbeFailure, targetName } from "../harness/index.ts";
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
    console.info(`one probe (reference + target, fresh worker): ${ms.toFixed(0)} ms`);
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

  test("targetName() names what is graded", () => {
    expect(targetName()).toBe("grader/selftest/fixtures/submissions/correct");
    process.env.GRADE_TARGET = "solutions";
    expect(targetName()).toBe("solutions");
  });
});
