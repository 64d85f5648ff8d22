/** Names and results shared by the backend candidates and setup(). */

/** The compute backends setup() can pick, fastest first. */
export const BACKEND_NAMES = ["tensorflow", "webgpu", "wasm", "cpu"] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** What trying a backend gave: the device it runs on, or why it cannot be used here. */
export type Activation = { ok: true; device: string } | { ok: false; why: string };

/** The first line of an error's message, for one-line reasons. */
export function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0] ?? text;
}
