/**
 * Is there a hardware GPU that WebGPU (Dawn, through the `webgpu` package) can use?
 *
 * The answer comes from a child process: Dawn writes its warnings ("Couldn't load Vulkan…")
 * straight to file descriptor 2, where no JavaScript can silence them, and a live adapter keeps
 * a process from exiting. On Linux without a Vulkan loader the child is not even started, so
 * the usual no-GPU answer costs a file read.
 */
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { firstLine } from "./types";

export interface AdapterReport {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
}

export type Probe = { ok: true; adapter: AdapterReport } | { ok: false; why: string };

const PROBE_TIMEOUT_MS = 20_000;
const SOFTWARE = /llvmpipe|lavapipe|swiftshader|software|basic render/i;

// Runs as an ES module (the `webgpu` package is one); argv[1] is the package's file URL.
const PROBE_SCRIPT = `
const { create } = await import(process.argv[1]);
const adapter = await create([]).requestAdapter({ powerPreference: "high-performance" });
const info = adapter?.info ?? {};
const report = adapter && {
  vendor: info.vendor ?? "", architecture: info.architecture ?? "",
  device: info.device ?? "", description: info.description ?? "",
  isFallbackAdapter: Boolean(adapter.isFallbackAdapter ?? info.isFallbackAdapter),
};
process.stdout.write("\\n" + JSON.stringify(report) + "\\n");
process.exit(0);
`;

/** false when Linux has no libvulkan.so.1 (Dawn's only way to a GPU there); null if unsure. */
function vulkanLoaderPresent(): boolean | null {
  if (process.platform !== "linux") return null;
  const dirs = (process.env.LD_LIBRARY_PATH ?? "").split(":").filter(Boolean);
  if (dirs.some((d) => existsSync(join(d, "libvulkan.so.1")))) return true;
  try {
    return readFileSync("/etc/ld.so.cache").includes("libvulkan.so.1");
  } catch {
    return null; // no glibc cache (e.g. musl): let the child find out
  }
}

/**
 * GENAI_WEBGPU_SOFTWARE=1 accepts a software adapter: a way to test WebGPU on a machine without a
 * GPU (Mesa's lavapipe from Debian 12 backports works with Dawn), never a way to train faster.
 */
export function softwareAllowed(): boolean {
  return process.env.GENAI_WEBGPU_SOFTWARE === "1";
}

export function isSoftwareAdapter(a: AdapterReport): boolean {
  const names = [a.vendor, a.architecture, a.device, a.description].join(" ");
  return a.isFallbackAdapter || SOFTWARE.test(names);
}

export function describeAdapter(a: AdapterReport): string {
  const parts = [a.description || a.device, a.vendor, a.architecture].filter(Boolean);
  return parts.length ? [...new Set(parts)].join(", ") : "unnamed adapter";
}

function readProbe(error: Error | null, stdout: string): Probe {
  const last = stdout.trim().split("\n").pop() ?? "";
  let adapter: AdapterReport | null;
  try {
    adapter = JSON.parse(last) as AdapterReport | null;
  } catch {
    const answer = JSON.stringify(last.slice(0, 80));
    const cause = error ? firstLine(error) : `unreadable answer ${answer}`;
    return { ok: false, why: `probing for a GPU adapter failed (${cause})` };
  }
  if (!adapter) return { ok: false, why: "Dawn found no GPU adapter" };
  if (isSoftwareAdapter(adapter) && !softwareAllowed()) {
    const why = `only a software adapter (${describeAdapter(adapter)}), slower than wasm ` +
      "(GENAI_WEBGPU_SOFTWARE=1 accepts it, for testing)";
    return { ok: false, why };
  }
  return { ok: true, adapter };
}

function runProbe(webgpuEntry: string): Promise<Probe> {
  const args = ["--input-type=module", "-e", PROBE_SCRIPT, pathToFileURL(webgpuEntry).href];
  const options = { timeout: PROBE_TIMEOUT_MS, windowsHide: true };
  return new Promise((resolve) => {
    execFile(process.execPath, args, options, (error, stdout) => resolve(readProbe(error, stdout)));
  });
}

let cached: Promise<Probe> | null = null;

/** Probe once per process; `webgpuEntry` is the resolved path of the `webgpu` package. */
export function probeHardwareAdapter(webgpuEntry: string): Promise<Probe> {
  if (vulkanLoaderPresent() === false) {
    const why = "no Vulkan loader (libvulkan.so.1), so Dawn can reach no GPU";
    return Promise.resolve({ ok: false, why });
  }
  cached ??= runProbe(webgpuEntry).catch((error: unknown) => ({
    ok: false as const,
    why: `probing for a GPU adapter failed (${firstLine(error)})`,
  }));
  return cached;
}
