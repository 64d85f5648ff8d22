import { describe, expect, it } from "vitest";
import { Rng, mulberry32 } from "@course/lib";

describe("Rng", () => {
  it("repeats for a seed and differs across seeds", () => {
    const a = new Rng(42), b = new Rng(42), c = new Rng(43);
    const xa = [a.uniform(), a.uniform()], xb = [b.uniform(), b.uniform()];
    expect(xa).toEqual(xb);
    expect(c.uniform()).not.toBe(xa[0]);
  });
  it("mulberry32 stays in [0, 1)", () => {
    const r = mulberry32(1);
    for (let i = 0; i < 10_000; i++) {
      const x = r();
      expect(x >= 0 && x < 1).toBe(true);
    }
  });
  it("categorical follows its weights", () => {
    const r = new Rng(7);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[r.categorical([1, 0, 3])]++;
    expect(counts[1]).toBe(0);
    expect(counts[2] / counts[0]).toBeGreaterThan(2.7);
    expect(counts[2] / counts[0]).toBeLessThan(3.3);
  });
  it("categorical rejects bad weights with a readable message", () => {
    expect(() => new Rng(1).categorical([0, 0])).toThrow(/all weights are 0/);
    expect(() => new Rng(1).categorical([1, -1])).toThrow(/weight 1 is -1/);
  });
  it("normal draws have mean ≈ 0 and variance ≈ 1", () => {
    const r = new Rng(3);
    let s = 0, s2 = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) { const z = r.normal(); s += z; s2 += z * z; }
    expect(Math.abs(s / n)).toBeLessThan(0.03);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.05);
  });
});
