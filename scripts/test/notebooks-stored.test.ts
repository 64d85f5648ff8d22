// Notebooks are stored as the course keeps them: nbformat 4, the tslab kernel, no outputs, and a
// first code cell that calls setup(. Fix a failure with: npx tsx scripts/strip-notebooks.ts
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../jupyter.mjs";
import { formatNotebook, notebookFiles, storedProblems, stripNotebook, type Notebook } from "../strip-notebooks.ts";

const files = notebookFiles();

describe("stored notebooks", () => {
  if (files.length === 0) {
    it.skip("notebooks/ has no .ipynb files yet", () => {});
    return;
  }
  it.each(files.map((f) => [basename(f), f]))("%s is valid, stripped and uses the tslab kernel", (_name, file) => {
    expect(storedProblems(readFileSync(file, "utf8"))).toEqual([]);
  });
});

describe("the test fixtures", () => {
  it.each(["notebook-runner-ok.ipynb", "notebook-runner-fail.ipynb"])("%s is stored stripped", (name) => {
    const problems = storedProblems(readFileSync(join(ROOT, "scripts", "test", "fixtures", name), "utf8"));
    // Fixtures are not lessons: they need not call setup(.
    expect(problems.filter((p) => !p.includes("setup("))).toEqual([]);
  });
});

describe("strip-notebooks", () => {
  const executed = (): Notebook => ({
    cells: [
      { id: "a", cell_type: "markdown", metadata: {}, source: ["# Title"] },
      {
        id: "b",
        cell_type: "code",
        metadata: { execution: { "iopub.status.busy": "2026-01-01T00:00:00Z" }, tags: ["keep"] },
        source: ["await setup({ seed: 1 });"],
        outputs: [{ output_type: "stream", name: "stdout", text: ["hi\n"] }],
        execution_count: 3,
      },
    ],
    metadata: { kernelspec: { name: "tslab" }, widgets: {} },
    nbformat: 4,
    nbformat_minor: 5,
  });

  it("removes outputs, execution counts and run-time metadata, keeping the rest", () => {
    const nb = executed();
    expect(stripNotebook(nb).sort()).toEqual(['cell metadata "execution"', "execution counts", "outputs", "widget state"]);
    expect(nb.cells[1]).toMatchObject({ outputs: [], execution_count: null, metadata: { tags: ["keep"] } });
    expect(nb.cells[1]?.metadata).not.toHaveProperty("execution");
    expect(storedProblems(formatNotebook(nb))).toEqual([]);
    expect(stripNotebook(nb)).toEqual([]); // already clean: nothing to do
  });

  it("reports an executed notebook as not stripped", () => {
    const problems = storedProblems(formatNotebook(executed()));
    expect(problems).toContain("cell 2: has outputs (strip them)");
    expect(problems).toContain("cell 2: execution_count is not null (strip it)");
  });

  it("writes notebooks as Jupyter does: sorted keys, one-space indent, final newline", () => {
    const text = formatNotebook({ nbformat_minor: 5, nbformat: 4, metadata: {}, cells: [] } as Notebook);
    expect(text).toBe('{\n "cells": [],\n "metadata": {},\n "nbformat": 4,\n "nbformat_minor": 5\n}\n');
  });
});
