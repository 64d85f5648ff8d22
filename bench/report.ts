/** Merging the rounds, the JSON's per-model rows, the geometric mean and the printed table of `npm run bench`. */
import type { PytorchRun } from "./runners";
import { round } from "./runners";
import type { WorkerResult } from "./worker";

export interface ModelRow {
  /** Median over the rounds of each round's median ms per step, per backend; null where it failed. */
  tfjs_ms: Record<string, number | null>;
  /** The same for PyTorch at its defaults and with glibc malloc's tunables. */
  pytorch_ms: number | null;
  pytorch_tuned_ms: number | null;
  /** Trained values on each side (a check that the PyTorch twin mirrors the lesson's model). */
  parameters: { tfjs: number | null; pytorch: number | null };
  /** The faster PyTorch / the fastest TensorFlow.js backend: above 1, the course is faster. */
  speedup_vs_pytorch: number | null;
}

export function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

type Timed = { ms?: number; error?: string; parameters?: number };

/** Per model: the median of the rounds' ms, and the rounds' ms themselves; the first error. */
function mergeModels(runs: Array<Record<string, Timed> | undefined>): Record<string, Timed & { rounds_ms: number[] }> {
  const out: Record<string, Timed & { rounds_ms: number[] }> = {};
  for (const models of runs) {
    for (const [name, m] of Object.entries(models ?? {})) {
      const row = (out[name] ??= { rounds_ms: [] });
      if (m.ms != null) row.rounds_ms.push(round(m.ms));
      row.error ??= m.error;
      row.parameters ??= m.parameters;
    }
  }
  for (const row of Object.values(out)) {
    const ms = median(row.rounds_ms);
    if (ms != null) row.ms = round(ms);
  }
  return out;
}

/** One backend's rounds as one result: per model, the median over the rounds. */
export function mergeTfjs(runs: WorkerResult[]): WorkerResult {
  const first = runs[0]!;
  return { ...first, models: mergeModels(runs.map((r) => r.models)) };
}

export function mergePytorch(runs: PytorchRun[]): PytorchRun {
  const ok = runs.filter((r) => !r.unavailable);
  if (!ok.length) return runs[0] ?? { unavailable: "not run" };
  return { ...ok[0], models: mergeModels(ok.map((r) => r.models)) };
}

/** Rows for `models`, and every failure as "MODEL on BACKEND: why". */
export function rows(
  models: string[], tfjs: WorkerResult[], pt: PytorchRun, ptTuned: PytorchRun,
): { rows: Record<string, ModelRow>; errors: string[] } {
  const errors: string[] = [];
  const out: Record<string, ModelRow> = {};
  for (const name of models) {
    const ms: Record<string, number | null> = {};
    let tfjsParams: number | null = null;
    for (const r of tfjs) {
      const m = r.models[name];
      ms[r.config] = m?.ms == null ? null : round(m.ms);
      tfjsParams ??= m?.parameters ?? null;
      if (m?.error) errors.push(`${name} on ${r.config}: ${m.error}`);
    }
    const [p, q] = [pt.models?.[name], ptTuned.models?.[name]];
    if (p?.error) errors.push(`${name} on pytorch: ${p.error}`);
    if (q?.error) errors.push(`${name} on pytorch (malloc tunables): ${q.error}`);
    const best = Math.min(...Object.values(ms).filter((v): v is number => v != null));
    const pts = [p?.ms, q?.ms].filter((v): v is number => v != null);
    const faster = pts.length ? Math.min(...pts) : null;
    out[name] = {
      tfjs_ms: ms,
      pytorch_ms: p?.ms == null ? null : round(p.ms),
      pytorch_tuned_ms: q?.ms == null ? null : round(q.ms),
      parameters: { tfjs: tfjsParams, pytorch: p?.parameters ?? q?.parameters ?? null },
      speedup_vs_pytorch: faster != null && Number.isFinite(best) ? round(faster / best, 3) : null,
    };
  }
  return { rows: out, errors };
}

/** Geometric mean of the speed-ups; null unless every model has one. */
export function geomean(models: Record<string, ModelRow>): number | null {
  const s = Object.values(models).map((m) => m.speedup_vs_pytorch ?? 0);
  if (!s.length || s.some((x) => !(x > 0))) return null;
  return round(Math.exp(s.reduce((sum, x) => sum + Math.log(x), 0) / s.length), 3);
}

function fmtMs(ms: number | null | undefined): string {
  if (ms == null) return "–";
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

export function table(models: Record<string, ModelRow>, configs: string[], geo: number | null): string {
  const head = ["model", ...configs, "pytorch", "pytorch tuned", "speedup"];
  const body = Object.entries(models).map(([name, r]) => [
    name,
    ...configs.map((c) => fmtMs(r.tfjs_ms[c])),
    fmtMs(r.pytorch_ms),
    fmtMs(r.pytorch_tuned_ms),
    r.speedup_vs_pytorch == null ? "–" : `${r.speedup_vs_pytorch.toFixed(2)}×`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [
    "ms per training step (median over rounds); speedup = the faster PyTorch (defaults or malloc tunables) / fastest TensorFlow.js backend",
    line(head),
    ...body.map(line),
    `geomean speedup vs PyTorch: ${geo == null ? "–" : `${geo.toFixed(2)}×`}`,
  ].join("\n");
}
