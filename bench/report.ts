/** The JSON's per-model rows, the geometric mean and the printed table of `npm run bench`. */
import type { PytorchRun } from "./runners";
import { round } from "./runners";
import type { WorkerResult } from "./worker";

export interface ModelRow {
  /** Median ms per step on each backend that ran; null where the model failed there. */
  tfjs_ms: Record<string, number | null>;
  pytorch_ms: number | null;
  pytorch_1thread_ms: number | null;
  /** pytorch_ms / the fastest backend's ms: above 1, TensorFlow.js is faster. */
  speedup_vs_pytorch: number | null;
}

/** Rows for `models`, and every failure as "MODEL on BACKEND: why". */
export function rows(
  models: string[], tfjs: WorkerResult[], pt: PytorchRun, pt1: PytorchRun,
): { rows: Record<string, ModelRow>; errors: string[] } {
  const errors: string[] = [];
  const out: Record<string, ModelRow> = {};
  for (const name of models) {
    const ms: Record<string, number | null> = {};
    for (const r of tfjs) {
      const m = r.models[name];
      ms[r.config] = m?.ms == null ? null : round(m.ms);
      if (m?.error) errors.push(`${name} on ${r.config}: ${m.error}`);
    }
    const [p, p1] = [pt.models?.[name], pt1.models?.[name]];
    if (p?.error) errors.push(`${name} on pytorch: ${p.error}`);
    if (p1?.error) errors.push(`${name} on pytorch (1 thread): ${p1.error}`);
    const timed = Object.values(ms).filter((v): v is number => v != null);
    const best = timed.length ? Math.min(...timed) : null;
    const ptMs = p?.ms == null ? null : round(p.ms);
    out[name] = {
      tfjs_ms: ms,
      pytorch_ms: ptMs,
      pytorch_1thread_ms: p1?.ms == null ? null : round(p1.ms),
      speedup_vs_pytorch: ptMs != null && best != null ? round(ptMs / best, 3) : null,
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
  const head = ["model", ...configs, "pytorch", "pytorch 1t", "speedup"];
  const body = Object.entries(models).map(([name, r]) => [
    name,
    ...configs.map((c) => fmtMs(r.tfjs_ms[c])),
    fmtMs(r.pytorch_ms),
    fmtMs(r.pytorch_1thread_ms),
    r.speedup_vs_pytorch == null ? "–" : `${r.speedup_vs_pytorch.toFixed(2)}×`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [
    "ms per training step (median); speedup = PyTorch (defaults) / fastest TensorFlow.js backend",
    line(head),
    ...body.map(line),
    `geomean speedup vs PyTorch: ${geo == null ? "–" : `${geo.toFixed(2)}×`}`,
  ].join("\n");
}
