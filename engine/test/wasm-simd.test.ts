/**
 * The course's WebAssembly SIMD kernels (engine/wasm/*.wat): the committed binaries are what
 * the source assembles to, and they load on the wasm backend, threaded (shared memory) and not.
 * What each kernel computes is tested with the kernel that uses it (backend-speed.test.ts).
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { wasmSimdKernelsLoaded } from "@course/engine";
import { setup } from "@course/lib";
// @ts-expect-error: a plain ES module script without types
import { WASM_DIR, assembleAll } from "../../scripts/build-wasm.mjs";

describe("engine/wasm", () => {
  it("holds exactly what its .wat files assemble to (npm run build:wasm)", async () => {
    const built = (await assembleAll()) as Record<string, Uint8Array>;
    expect(Object.keys(built).sort()).toEqual(
      ["conv1", "exp", "gemm", "kernels", "norm"].flatMap((m) => [`${m}.plain.wasm`, `${m}.shared.wasm`]));
    for (const [name, bytes] of Object.entries(built)) {
      expect(Buffer.compare(readFileSync(join(WASM_DIR as string, name)), Buffer.from(bytes)), name).toBe(0);
    }
  });

  it("loads on the wasm backend of this process", async () => {
    await setup({ backend: "wasm", quiet: true });
    expect(wasmSimdKernelsLoaded()).toBe(true);
  });

  it("loads on the threaded wasm backend (shared memory) too", () => {
    const code = `const lib = require("@course/lib"), engine = require("@course/engine");
      lib.setup({ backend: "wasm", quiet: true }).then((i) => console.log(i.device + " | " + engine.wasmSimdKernelsLoaded()))`;
    const out = execFileSync(process.execPath, ["-e", code], { env: { ...process.env, GENAI_WASM_THREADS: "2" }, encoding: "utf8" });
    expect(out.trim()).toMatch(/2 threads \| true$/);
  });
});
