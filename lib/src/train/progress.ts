/**
 * The one progress display of every trainer, e.g.
 * `step 300/3000 · loss 2.412 · val 2.451 · lr 3.0e-3 · 41.0k tok/s · ETA 1m 05s`
 * (a GAN shows its two losses: `dLoss 0.612 · gLoss 1.234`).
 */
import type { FitProgress } from "./fit";

/** `65` → "1m 05s", `9.6` → "10s". */
export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)}s`;
  return `${Math.floor(seconds / 60)}m ${String(Math.round(seconds % 60)).padStart(2, "0")}s`;
}

/** Three decimals below 10, one above (−ELBO in nats per image is near 100). */
function digits(v: number): string {
  return Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(3);
}

/** One line for a progress report; `lossName` labels the loss (e.g. "−ELBO"). */
export function progressLine(p: FitProgress, lossName = "loss"): string {
  const losses = p.parts ? Object.entries(p.parts).map(([k, v]) => `${k} ${digits(v)}`).join(" · ") : `${lossName} ${digits(p.loss)}`;
  const rate = p.itemsPerSecond >= 1000 ? `${(p.itemsPerSecond / 1000).toFixed(1)}k` : p.itemsPerSecond.toFixed(0);
  const val = p.valLoss === undefined ? "" : ` · val ${digits(p.valLoss)}`;
  return `step ${p.step}/${p.steps} · ${losses}${val} · lr ${p.learningRate.toExponential(1)} · ${rate} ${p.unit}/s · ETA ${formatSeconds(p.etaSeconds)}`;
}
