/** `expectClose()`: structure first, then tolerances, with messages that point at the worst element. */
import { describe, expect, test } from "vitest";
import { expectClose } from "../harness/index.ts";

const t = (shape: number[], data: number[], dtype = "float32") => ({ shape, dtype, data });

function message(actual: unknown, expected: unknown, options = {}): string {
  try {
    expectClose(actual, expected, options);
  } catch (err) {
    return (err as Error).message;
  }
  return "";
}

describe("expectClose()", () => {
  test("accepts equal values within tolerance", () => {
    expect(message(t([2], [1, 2]), t([2], [1 + 1e-7, 2]))).toBe("");
    expect(message(0.1 + 0.2, 0.3)).toBe("");
    expect(message({ a: [1, [2, 3]], s: "x", ok: true }, { a: [1, [2, 3]], s: "x", ok: true })).toBe("");
    expect(message([NaN, 1], [NaN, 1])).toBe("");
  });

  test("checks shape, then dtype, then values", () => {
    expect(message(t([3, 4], new Array(12).fill(0)), t([4, 3], new Array(12).fill(0)), { what: "logits" }))
      .toBe("logits: shape [3, 4], expected [4, 3]");
    expect(message(t([2], [1, 2], "int32"), t([2], [1, 2]))).toBe("value: dtype int32, expected float32");
  });

  test("reports the worst element with its index, values, difference and tolerance", () => {
    const expected = new Array(12).fill(0.5);
    const actual = [...expected];
    actual[7] = 0.31; // index [2, 1] of a [4, 3] tensor
    expected[7] = 0.43;
    actual[0] = 0.5001;
    expect(message(t([4, 3], actual), t([4, 3], expected), { rtol: 0, atol: 1e-5 })).toBe(
      "value: worst element [2, 1]: got 0.31, expected 0.43 (|diff| 0.12 > tol 1.0e-5); 2 of 12 elements differ",
    );
  });

  test("NaN against a number is a mismatch", () => {
    expect(message(NaN, 1)).toMatch(/^value: got NaN, expected 1 /);
    expect(message([1, 2, NaN], [1, 2, 3])).toMatch(/worst element \[2\]: got NaN, expected 3/);
  });

  test("describes structural differences in nested values", () => {
    expect(message({ a: 1 }, { a: 1, b: 2 }, { what: "stats" })).toBe('stats: has no key "b"');
    expect(message({ a: 1, c: 3 }, { a: 1 }, { what: "stats" })).toBe('stats: has an unexpected key "c"');
    expect(message({ a: [1, 2] }, { a: [1, 2, 3] })).toBe("value.a: shape [2], expected [3]");
    expect(message([[1], "x"], [[1], "y"])).toBe('value[1]: got string "x", expected string "y"');
    expect(message(3, t([1], [3]))).toBe("value: is number 3, expected a tensor of shape [1]");
  });

  test("accepts live tensors (anything with shape, dtype and dataSync)", () => {
    const live = { shape: [2, 2], dtype: "float32", isDisposed: false, dataSync: () => Float32Array.of(1, 2, 3, 4), dispose: () => {} };
    expect(message(live, t([2, 2], [1, 2, 3, 4]))).toBe("");
    expect(message(live, t([2, 2], [1, 2, 3, 5]))).toMatch(/worst element \[1, 1\]: got 4, expected 5/);
  });
});
