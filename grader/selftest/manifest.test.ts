/**
 * The test manifests are current: what `npm run grade -- --write-manifest` would write now equals
 * the committed grader/tests/manifest.json (and the fixture lesson's). After adding or changing a
 * lesson test, run that command and commit the manifest with the test.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { buildManifest, manifestFile, manifestText, parseTestName } from "../cli/manifest.ts";
import { FIXTURES, ROOT } from "./helpers/cli.ts";

describe("the test manifest", () => {
  for (const dir of [join(ROOT, "grader", "tests"), join(FIXTURES, "tests")]) {
    test(`${dir.slice(ROOT.length)}/manifest.json is current (else: npm run grade -- --write-manifest${dir.includes("fixtures") ? " --tests grader/selftest/fixtures/tests" : ""})`, async () => {
      const now = manifestText(await buildManifest(ROOT, dir));
      expect(readFileSync(manifestFile(dir), "utf8")).toBe(now);
    }, 180_000);
  }

  test("reads id, lesson, points and title from a graded test's name", () => {
    expect(parseTestName("lesson 01 > 01.nll [2 pts] mean NLL > 0 on held-out names", "/x/01-bigram.test.ts")).toEqual({
      key: "01.nll mean NLL > 0 on held-out names", id: "01.nll", lesson: "01", title: "mean NLL > 0 on held-out names", points: 2, file: "01-bigram.test.ts",
    });
    expect(parseTestName("some helper test", "/x/a.test.ts")).toBeNull();
  });
});
