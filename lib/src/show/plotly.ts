/**
 * Interactive charts with plotly.js (the `plotly.js-dist` package, MIT). The library is inlined
 * into the notebook once — `tslab.display.html(plotlyLoader())` in an early cell — and each chart
 * is then a small HTML output that draws into its own <div>: `tslab.display.html(plotlyHtml(...))`.
 * Charts need a trusted notebook (one you run yourself); static viewers show nothing, which is
 * why every lesson also prints the numbers behind a chart.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { cacheFiles, tryWrite } from "../cache";
import { CourseError } from "../errors";

let chartCount = 0;

function plotlySource(): string {
  let entry: string;
  try {
    entry = require.resolve("plotly.js-dist/plotly.js");
  } catch {
    throw new CourseError("plotly.js-dist is not installed: run `npm install` in the course folder.");
  }
  const version = (JSON.parse(readFileSync(join(dirname(entry), "package.json"), "utf8")) as { version: string }).version;
  const name = `plotly-${version}.min.js`;
  const files = cacheFiles(join(dirname(entry), ".."), name);
  const cached = files.find((f) => existsSync(f));
  if (cached) return readFileSync(cached, "utf8");
  const { transformSync } = require("esbuild") as typeof import("esbuild");
  const text = transformSync(readFileSync(entry, "utf8"), { minify: true, legalComments: "inline" }).code;
  files.find((f) => tryWrite(f, text));
  return text;
}

/**
 * HTML that defines `window.Plotly` (≈4.6 MB, minified once and cached in node_modules/.cache).
 * Classic Notebook ships RequireJS, under which plotly's bundle would register itself as an AMD
 * module instead; `define` is hidden while it loads.
 */
export function plotlyLoader(): string {
  const src = plotlySource().replace(/<\/script/gi, "<\\/script");
  return `<script>(function(){var d=window.define;window.define=undefined;try{\n${src}\n}finally{window.define=d;}})();</script>` +
    `<span style="font:11px sans-serif;color:#888">plotly.js loaded</span>`;
}

/** One plotly chart as HTML: traces and layout as plotly.js takes them. */
export function plotlyHtml(data: readonly object[], layout: object = {}, height = 420): string {
  const id = `course-plot-${process.pid}-${++chartCount}-${Date.now().toString(36)}`;
  const json = (v: unknown) => JSON.stringify(v).replace(/</g, "\\u003c");
  return `<div id="${id}" style="height:${height}px"></div><script>(function(){` +
    `var draw=function(){if(!window.Plotly){document.getElementById("${id}").textContent=` +
    `"plotly.js is not loaded: run the cell with plotlyLoader() first.";return;}` +
    `window.Plotly.newPlot("${id}",${json(data)},${json({ margin: { t: 40 }, ...layout })},{responsive:true});};` +
    `if(document.readyState==="loading")document.addEventListener("DOMContentLoaded",draw);else draw();})();</script>`;
}

export interface ScatterPoint {
  x: number;
  y: number;
  /** Group (e.g. the digit); each group gets its own colour and legend entry. */
  group: string | number;
}

/** A 2-D scatter coloured by group (e.g. a VAE's latent codes coloured by digit). */
export function scatterHtml(points: readonly ScatterPoint[], options: { title?: string; xLabel?: string; yLabel?: string } = {}): string {
  if (points.length === 0) throw new CourseError("scatterHtml(): no points to plot.");
  const groups = [...new Set(points.map((p) => p.group))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const traces = groups.map((g) => {
    const mine = points.filter((p) => p.group === g);
    return { type: "scattergl", mode: "markers", name: String(g), x: mine.map((p) => p.x), y: mine.map((p) => p.y), marker: { size: 4 } };
  });
  return plotlyHtml(traces, { title: { text: options.title ?? "" }, xaxis: { title: { text: options.xLabel ?? "" } }, yaxis: { title: { text: options.yLabel ?? "" } } });
}

/** Lines (e.g. loss curves): each series is y values over x (the index if x is missing). */
export function linesHtml(
  series: readonly { name: string; y: readonly number[]; x?: readonly number[] }[],
  options: { title?: string; xLabel?: string; yLabel?: string; logY?: boolean } = {},
): string {
  const traces = series.map((s) => ({ type: "scatter", mode: "lines", name: s.name, x: s.x ?? s.y.map((_, i) => i), y: s.y }));
  return plotlyHtml(traces, {
    title: { text: options.title ?? "" },
    xaxis: { title: { text: options.xLabel ?? "" } },
    yaxis: { title: { text: options.yLabel ?? "" }, type: options.logY ? "log" : "linear" },
  });
}
