/**
 * Run modes. `smoke` makes every notebook and quality run tiny so CI can execute them all;
 * `full` is the real run whose numbers the README reports.
 */

/** True when `GENAI_SMOKE` is set to 1/true (the notebook runner's `--smoke`). */
export function isSmoke(): boolean {
  const v = (process.env.GENAI_SMOKE ?? "").toLowerCase();
  return v === "1" || v === "true" || v === "yes";
}

/** Pick the smoke or the full preset of a config by the current mode. */
export function preset<T>(presets: { smoke: T; full: T }): T {
  return isSmoke() ? presets.smoke : presets.full;
}
