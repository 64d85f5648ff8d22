import { describe, expect, it } from "vitest";
import { formatNumber, markdownTable } from "../src/show/table";

describe("markdownTable", () => {
  it("formats numbers for people: 0.01, not 0.01000", () => {
    expect([0.01, 2.44231, 104.63, 0.5, 3, 123456.7, -0.000123456].map(formatNumber)).toEqual([
      "0.01", "2.442", "104.6", "0.5", "3", "123457", "-0.0001235",
    ]);
  });

  it("left-aligns text columns and right-aligns number columns explicitly", () => {
    const table = markdownTable([{ model: "bigram", α: 0.01, "val NLL": 2.4423 }, { model: "MLP", α: 1, "val NLL": 2.1 }]);
    expect(table.split("\n")).toEqual([
      "| model | α | val NLL |",
      "|:---|---:|---:|",
      "| bigram | 0.01 | 2.442 |",
      "| MLP | 1 | 2.1 |",
    ]);
  });
});
