// `npm run lint [-- FILE ...]`: markdownlint over README.md, docs/**/*.md, datasets/**/*.md and
// the markdown cells of every notebooks/*.ipynb, with the settings in .markdownlint.jsonc.
//
// A notebook's markdown cells are linted together as one document (cells joined by a blank
// line), so heading levels and the single title carry across cells; problems are reported by
// cell ("cell 3" = the third cell from the top, code cells included) and line within the cell.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT } from "./jupyter.mjs";

const CONFIG_FILE = join(ROOT, ".markdownlint.jsonc");
const MARKDOWN_DIRS = ["docs", "datasets"];

// markdownlint (ESM) and jsonc-parser, resolved from markdownlint-cli so the versions match the CLI.
const cliRequire = createRequire(createRequire(import.meta.url).resolve("markdownlint-cli"));
const { lint, readConfig } = await import(pathToFileURL(cliRequire.resolve("markdownlint/sync")).href);
const { parse: parseJsonc, printParseErrorCode } = cliRequire("jsonc-parser");

/** @typedef {{ lineNumber: number; ruleNames: string[]; ruleDescription: string; errorDetail: string | null; errorContext: string | null; errorRange: number[] | null }} LintError */

/** Lint one document; its errors in line order. @param {object} options @param {string} name @returns {LintError[]} */
function lintOne(options, name) {
  /** @type {LintError[]} */
  const errors = lint(options)[name] ?? [];
  return errors.sort((a, b) => a.lineNumber - b.lineNumber);
}

/** @param {string} text */
function jsonc(text) {
  /** @type {{ error: number; offset: number }[]} */
  const errors = [];
  const value = parseJsonc(text, errors, { allowTrailingComma: true });
  if (errors.length) {
    const e = /** @type {{ error: number; offset: number }} */ (errors[0]);
    throw new Error(`${printParseErrorCode(e.error)} at character ${e.offset}`);
  }
  return value;
}

/** @param {string} dir @returns {string[]} */
function markdownFilesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : markdownFilesUnder(path);
    return entry.name.endsWith(".md") ? [path] : [];
  });
}

function defaultFiles() {
  const notebooksDir = join(ROOT, "notebooks");
  const notebooks = existsSync(notebooksDir)
    ? readdirSync(notebooksDir).filter((f) => f.endsWith(".ipynb")).map((f) => join(notebooksDir, f))
    : [];
  const readme = join(ROOT, "README.md");
  return [...(existsSync(readme) ? [readme] : []), ...MARKDOWN_DIRS.flatMap((d) => markdownFilesUnder(join(ROOT, d))), ...notebooks].sort();
}

/**
 * A notebook's markdown cells as one document, and where each cell starts in it.
 * @param {string} file
 * @returns {{ text: string; cells: { index: number; firstLine: number }[] }}
 */
function notebookMarkdown(file) {
  const nb = JSON.parse(readFileSync(file, "utf8"));
  if (!Array.isArray(nb?.cells)) throw new Error("it has no cells: not an nbformat 4 notebook");
  const parts = [];
  const cells = [];
  let line = 1;
  nb.cells.forEach((/** @type {{ cell_type: string; source: string | string[] }} */ cell, index) => {
    if (cell.cell_type !== "markdown") return;
    const source = (Array.isArray(cell.source) ? cell.source.join("") : String(cell.source ?? "")).replace(/\n+$/, "");
    cells.push({ index, firstLine: line });
    parts.push(source);
    line += source.split("\n").length + 1; // the blank line that separates cells
  });
  return { text: parts.length ? `${parts.join("\n\n")}\n` : "", cells };
}

/** @param {LintError} e */
function describe(e) {
  const detail = e.errorDetail ? ` [${e.errorDetail}]` : "";
  const context = e.errorContext ? ` [Context: "${e.errorContext}"]` : "";
  return `${e.ruleNames.slice(0, 2).join("/")} ${e.ruleDescription}${detail}${context}`;
}

function main() {
  /** @type {unknown} */
  let config;
  try {
    config = readConfig(CONFIG_FILE, [jsonc]);
  } catch (err) {
    console.error(`Cannot read ${relative(ROOT, CONFIG_FILE)}: ${/** @type {Error} */ (err).message}`);
    return 1;
  }
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const args = process.argv.slice(2);
  const files = args.length ? args.map((a) => resolve(cwd, a)) : defaultFiles();

  /** @type {string[]} */
  const problems = [];
  let notebooks = 0;
  for (const file of files) {
    const name = relative(ROOT, file);
    if (!existsSync(file)) {
      problems.push(`${name}: no such file`);
      continue;
    }
    if (file.endsWith(".ipynb")) {
      notebooks++;
      let doc;
      try {
        doc = notebookMarkdown(file);
      } catch (err) {
        problems.push(`${name}: cannot read it (${/** @type {Error} */ (err).message})`);
        continue;
      }
      const results = lintOne({ strings: { [name]: doc.text }, config }, name);
      for (const e of results) {
        const cell = doc.cells.findLast((c) => c.firstLine <= e.lineNumber) ?? doc.cells[0];
        const where = cell ? `cell ${cell.index + 1}, line ${e.lineNumber - cell.firstLine + 1}` : `line ${e.lineNumber}`;
        problems.push(`${name} ${where}: ${describe(e)}`);
      }
    } else {
      const results = lintOne({ files: [file], config }, file);
      for (const e of results) {
        const column = e.errorRange ? `:${e.errorRange[0]}` : "";
        problems.push(`${name}:${e.lineNumber}${column} ${describe(e)}`);
      }
    }
  }
  if (problems.length) {
    console.log(problems.join("\n"));
    console.log(
      `\n${problems.length} markdown problem(s). Rules: https://github.com/DavidAnson/markdownlint/blob/main/doc/Rules.md` +
        "\nFix notebook cells in Jupyter; for .md files `npx markdownlint --fix FILE` fixes many.",
    );
    return 1;
  }
  console.log(`Markdown OK: ${files.length - notebooks} file(s) and the markdown cells of ${notebooks} notebook(s).`);
  return 0;
}

process.exitCode = main();
