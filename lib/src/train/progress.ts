/** The one progress display of every trainer: `step 300/3000 · loss 2.412 · val 2.451 · 41.0k tok/s · ETA 1m 05s`. */
import type { FitProgress } from "./fit";

/** `65` → "1m 05s", `9.6` → "10s". */
export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)}s`;
  return `${Math.floor(seconds / 60)}m ${String(Math.round(seconds % 60)).padStart(2, "0")}s`;
}

/** One line for a progress report; `lossName` labels the loss (e.g. "−ELBO"). */
export function progressLine(p: FitProgress, lossName = "loss"): string {
  const digits = (v: number) => (Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(3));
  const rate = p.itemsPerSecond >= 1000 ? `${(p.itemsPerSecond / 1000).toFixed(1)}k` : p.itemsPerSecond.toFixed(0);
  const val = p.valLoss === undefined ? "" : ` · val ${digits(p.valLoss)}`;
  return `step ${p.step}/${p.steps} · ${lossName} ${digits(p.loss)}${val} · ${rate} ${p.unit}/s · ETA ${formatSeconds(p.etaSeconds)}`;
}
