/**
 * Exp on wasm in the course's SIMD kernel (engine/src/wasmExp.ts, engine/wasm/exp.wat) against
 * JavaScript's Math.exp rounded to float32: every value within 3 ulp over the whole float32
 * range of exp, 0 below −87.33, +∞ above 88.72, NaN kept; odd sizes (the scalar tail) and the
 * gradient against the cpu backend.
 */
import { describe, expect, it } from "vitest";
import { tf } from "@course/lib";
import { useFusedWasm, wasmVsCpu } from "./helpers/wasm-vs-cpu.ts";

useFusedWasm();

const ULP = 2 ** -23;

function expOnWasm(values: number[]): Float32Array {
  return tf.tidy(() => tf.exp(tf.tensor1d(values)).dataSync() as Float32Array);
}

describe("exp on wasm", () => {
  it("is within 3 ulp of Math.exp over [−87.3, 88.7], at 20,000 points and the ends", () => {
    const xs: number[] = [-87.3, 88.7, 0, -0, 1e-8, -1e-8, Math.LN2, -Math.LN2];
    for (let i = 0; i < 20_000; i++) xs.push(-87.3 + (176 * i) / 20_000);
    const got = expOnWasm(xs);
    let worst = 0;
    xs.forEach((x, i) => {
      const want = Math.fround(Math.exp(Math.fround(x))); // the tensor holds x as float32
      worst = Math.max(worst, Math.abs((got[i] as number) - want) / want);
    });
    expect(worst).toBeLessThanOrEqual(3 * ULP);
  });

  it("gives 0 far below, +∞ above the float32 range, and keeps NaN", () => {
    const got = Array.from(expOnWasm([-1e9, -Infinity, -100, -88, 89, 1e9, Infinity, NaN]));
    expect(got.slice(0, 4)).toEqual([0, 0, 0, 0]);
    expect(got.slice(4, 7)).toEqual([Infinity, Infinity, Infinity]);
    expect(got[7]).toBeNaN();
  });

  it.each([[1], [3], [7], [2, 5, 9]])("matches cpu on shape %j, value and gradient", async (...shape) => {
    expect(await wasmVsCpu((x) => tf.exp(x), [shape])).toBeLessThanOrEqual(1e-6);
  });
});
