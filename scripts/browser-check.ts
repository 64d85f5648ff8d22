/**
 * `npm run browser-check -- [--dir=DIR] [--out=DIR] [ID ...]`
 *
 * Opens each executed notebook (out/notebooks/NN-*.ipynb, written by `npm run notebooks`) in a
 * real browser, rendered as the classic Notebook renders it: nbconvert's HTML export with its
 * `classic` template (the classic Notebook's own CSS, the one Debian 12 ships; SVG outputs
 * inserted whole as the Notebook does, scripts/nbconvert/course-classic), in headless
 * Chromium (Debian's `chromium`, driven by playwright-core; no browser is downloaded). Checks:
 * every plotly chart drew its SVG, no JavaScript error reached the console, every SVG (heat maps)
 * and PNG (image grids) output is on the page with a size, no output is an error, and the text
 * cells of Markdown tables are left-aligned. One screenshot per notebook goes to out/browser/.
 * Without Chromium it says that it skipped the check and exits 0.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Page } from "playwright-core";
import { ROOT, UsageError, aptInstallCommand, findJupyter, jupyterEnv, runMain } from "./jupyter.mjs";
import { pageProblems, type PageReport } from "./browser-page.ts";

const CHROMIUM = process.env.GENAI_CHROMIUM ?? "/usr/bin/chromium";
let OUT = join(ROOT, "out", "browser");
/** nbconvert's classic template with SVG outputs kept whole (see its index.html.j2). */
const TEMPLATES = join(ROOT, "scripts", "nbconvert");
const ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
  "--no-first-run", "--disable-component-update", "--disable-sync",
];

interface Output { output_type: string; name?: string; text?: string | string[]; data?: Record<string, unknown>; ename?: string; evalue?: string }
interface Notebook { cells: { cell_type: string; outputs?: Output[] }[] }

/** What the stored outputs promise the page will show, and errors already visible in the JSON. */
function expectations(nb: Notebook): { svgs: number; pngs: number; charts: number; errors: string[] } {
  const want = { svgs: 0, pngs: 0, charts: 0, errors: [] as string[] };
  nb.cells.forEach((cell, i) => {
    for (const o of cell.outputs ?? []) {
      const text = Array.isArray(o.text) ? o.text.join("") : (o.text ?? "");
      if (o.output_type === "error") want.errors.push(`cell ${i + 1}: ${o.ename}: ${o.evalue}`);
      if (o.output_type === "stream" && o.name === "stderr" && /\b\w*(Error|Exception)\b/.test(text)) {
        want.errors.push(`cell ${i + 1} printed an error: ${text.trim().split("\n")[0]}`);
      }
      if (o.data?.["image/svg+xml"] !== undefined) want.svgs++;
      if (o.data?.["image/png"] !== undefined) want.pngs++;
      const html = o.data?.["text/html"];
      const htmlText = Array.isArray(html) ? html.join("") : typeof html === "string" ? html : "";
      want.charts += (htmlText.match(/id="course-plot-/g) ?? []).length;
    }
  });
  return want;
}

/** nbconvert's HTML export (classic template) of one executed notebook; returns the HTML file. */
function exportHtml(nbconvert: string[], file: string): string {
  const name = basename(file, ".ipynb");
  const args = [...nbconvert.slice(1), "--to", "html", `--TemplateExporter.extra_template_basedirs=${TEMPLATES}`,
    "--template", "course-classic", "--output-dir", OUT, "--output", name, file];
  const r = spawnSync(nbconvert[0] as string, args, { env: jupyterEnv(), encoding: "utf8" });
  if (r.status !== 0) throw new UsageError(`nbconvert could not export ${file} to HTML:\n${r.stderr.slice(-2000)}`);
  return join(OUT, `${name}.html`);
}

/** Open one HTML page (network off: only file: URLs load), run the checks, take the screenshot. */
async function checkPage(page: Page, html: string, shot: string): Promise<{ report: PageReport; jsErrors: string[] }> {
  const jsErrors: string[] = [];
  const onConsole = (m: { type(): string; text(): string }): void => {
    // Resources from the web (the template's CDN links) are blocked on purpose: not the notebook's fault.
    if (m.type() === "error" && !/Failed to load resource|ERR_BLOCKED|ERR_FAILED/.test(m.text())) jsErrors.push(m.text());
  };
  const onError = (e: Error): void => void jsErrors.push(e.message);
  page.on("console", onConsole);
  page.on("pageerror", onError);
  try {
    await page.goto(pathToFileURL(html).href, { waitUntil: "load", timeout: 120_000 });
    await page.waitForTimeout(1500); // plotly draws on load; give it a moment on a busy machine
    const report = await page.evaluate(pageProblems);
    await page.screenshot({ path: shot, fullPage: true });
    return { report, jsErrors };
  } finally {
    page.off("console", onConsole);
    page.off("pageerror", onError);
  }
}

function selected(dir: string, ids: string[]): string[] {
  if (!existsSync(dir)) throw new UsageError(`${dir} does not exist: run \`npm run notebooks -- --smoke\` first.`);
  // In out/notebooks, executed copies of the course's current notebooks only (not of one since removed).
  const current = (f: string): boolean => dir !== join(ROOT, "out", "notebooks") || existsSync(join(ROOT, "notebooks", f));
  const all = readdirSync(dir).filter((f) => /^\d\d-.*\.ipynb$/.test(f) && current(f)).sort();
  return all.filter((f) => ids.length === 0 || ids.some((id) => f.startsWith(`${id.padStart(2, "0")}-`))).map((f) => join(dir, f));
}

/** Check one executed notebook and print its line; true when it passed. */
async function checkNotebook(page: Page, nbconvert: string[], file: string): Promise<boolean> {
  const name = basename(file, ".ipynb");
  const want = expectations(JSON.parse(readFileSync(file, "utf8")) as Notebook);
  const { report, jsErrors } = await checkPage(page, exportHtml(nbconvert, file), join(OUT, `${name}.png`));
  const problems = [...want.errors, ...jsErrors.map((e) => `JavaScript error: ${e}`), ...report.problems];
  if (report.charts.total !== want.charts) problems.push(`${want.charts} plotly chart(s) in the outputs, ${report.charts.total} on the page`);
  if (report.svgs < want.svgs) problems.push(`${want.svgs} SVG output(s), ${report.svgs} drawn on the page`);
  if (report.pngs < want.pngs) problems.push(`${want.pngs} PNG output(s), ${report.pngs} decoded on the page`);
  const counts = `${report.charts.drawn}/${want.charts} charts, ${report.svgs}/${want.svgs} SVG, ${report.pngs}/${want.pngs} PNG, ${report.tables} tables`;
  console.log(`${problems.length ? "FAIL" : "PASS"}  ${name}  ${counts}  → ${relative(ROOT, join(OUT, `${name}.png`))}`);
  for (const p of problems) console.log(`  ${p}`);
  return problems.length === 0;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const dir = resolve(args.find((a) => a.startsWith("--dir="))?.slice(6) ?? join(ROOT, "out", "notebooks"));
  OUT = resolve(args.find((a) => a.startsWith("--out="))?.slice(6) ?? OUT);
  if (!existsSync(CHROMIUM)) {
    console.log(`Browser check skipped: no Chromium at ${CHROMIUM} (Debian: ${aptInstallCommand().replace(/apt install .*/, "apt install chromium")}).`);
    return 0;
  }
  const nbconvert = findJupyter(["nbconvert"]);
  if (!nbconvert) throw new UsageError(`Browser check: Jupyter's nbconvert is missing (${aptInstallCommand()}).`);
  const files = selected(dir, args.filter((a) => !a.startsWith("--")));
  if (files.length === 0) throw new UsageError(`No executed notebooks in ${dir}: run \`npm run notebooks -- --smoke\` first.`);
  mkdirSync(OUT, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), "browser-check-"));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1100, height: 900 } });
  await context.route(/^(?!file:|data:)/, (route) => route.abort("blockedbyclient"));
  // tsx keeps function names with a `__name` helper, which pageProblems carries into the page.
  await context.addInitScript("window.__name = (f) => f;");
  console.log(`Browser check of ${files.length} executed notebook(s): nbconvert HTML (classic template) in ${CHROMIUM} ${context.browser()?.version() ?? ""}`);
  let failed = 0;
  try {
    const page = await context.newPage();
    for (const file of files) if (!(await checkNotebook(page, nbconvert.argv, file))) failed++;
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
  console.log(`\n${files.length - failed} passed, ${failed} failed. Screenshots and HTML: ${relative(ROOT, OUT)}/`);
  return failed ? 1 : 0;
}

await runMain(main);
