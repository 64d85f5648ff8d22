import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CourseError, Rng, rng, setup, tf } from "@course/lib";

// vitest runs from the repository root, which is where packages are looked up.
const require = createRequire(join(process.cwd(), "package.json"));
const CHOICES = "tensorflow, webgpu, wasm, cpu";

function installed(pkg: string): boolean {
  try {
    require.resolve(pkg);
    return true;
  } catch {
    return false;
  }
}
const hasTfjsNode = installed("@tensorflow/tfjs-node-gpu") || installed("@tensorflow/tfjs-node");

/** Run `code` in a fresh Node that has @course/lib; resolves with its stdout and stderr. */
type Output = { stdout: string; stderr: string };

function runNode(code: string, env: NodeJS.ProcessEnv): Promise<Output> {
  const options = { env: { ...process.env, ...env }, timeout: 30_000 };
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["-e", code], options, (error, stdout, stderr) => {
      if (error) reject(error);
      else resolve({ stdout, stderr });
    });
  });
}

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe("setup()", () => {
  it("prints one line naming the backend, device and seed", async () => {
    vi.stubEnv("GENAI_BACKEND", "");
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const info = await setup();
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0]?.[0]).toBe(`backend: ${info.backend} (${info.device}) · seed 42`);
  });

  it("chooses wasm on a machine without tfjs-node or a GPU (like this course's CI)", async () => {
    vi.stubEnv("GENAI_BACKEND", "");
    const info = await setup({ quiet: true });
    if (hasTfjsNode) {
      expect(["tensorflow", "webgpu", "wasm"]).toContain(info.backend);
    } else {
      // A GPU machine may pick webgpu; everywhere else the answer is wasm, made trainable.
      expect(["webgpu", "wasm"]).toContain(info.backend);
      const wasmDevice = /^XNNPACK, (no )?SIMD, \d+ threads?$/;
      if (info.backend === "wasm") expect(info.device).toMatch(wasmDevice);
    }
    expect(tf.getBackend()).toBe(info.backend);
  });

  it("re-seeds on every call, and registers nothing twice", async () => {
    vi.stubEnv("GENAI_BACKEND", "wasm");
    const warn = vi.spyOn(console, "warn");
    await setup({ quiet: true });
    const kernel = tf.getKernel("Conv2DBackpropFilter", "wasm");
    const info = await setup({ seed: 7, quiet: true });
    expect(info.seed).toBe(7);
    expect(rng().uniform()).toBe(new Rng(7).uniform());
    expect(tf.getKernel("Conv2DBackpropFilter", "wasm")).toBe(kernel);
    expect(warn).not.toHaveBeenCalled();
  });

  it("honours GENAI_BACKEND=cpu", async () => {
    vi.stubEnv("GENAI_BACKEND", "cpu");
    const info = await setup({ quiet: true });
    expect(info).toMatchObject({ backend: "cpu", device: "pure JavaScript, 1 thread", seed: 42 });
    expect(info.streams.init.seed).toBe(42);
    expect(tf.getBackend()).toBe("cpu");
  });

  it("lets setup({ backend }) override GENAI_BACKEND", async () => {
    vi.stubEnv("GENAI_BACKEND", "cpu");
    expect((await setup({ backend: "wasm", quiet: true })).backend).toBe("wasm");
  });

  it("rejects an unknown GENAI_BACKEND, naming the choices", async () => {
    vi.stubEnv("GENAI_BACKEND", "bogus");
    const attempt = setup({ quiet: true });
    await expect(attempt).rejects.toBeInstanceOf(CourseError);
    const message = `GENAI_BACKEND=bogus names no backend. Choose one of: ${CHOICES}`;
    await expect(attempt).rejects.toThrow(message);
  });

  it.runIf(!hasTfjsNode)("explains why a forced backend is unavailable", async () => {
    vi.stubEnv("GENAI_BACKEND", "tensorflow");
    const attempt = setup({ quiet: true });
    await expect(attempt).rejects.toThrow(
      "GENAI_BACKEND=tensorflow asks for the tensorflow backend, but it is unavailable here: " +
        "neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node is installed",
    );
    await expect(attempt).rejects.toThrow("\n  Choose another of: webgpu, wasm, cpu —");
  });

  it("looks for a GPU quickly and silently when there is none", async () => {
    // An empty libvulkan.so.1 makes Dawn's Vulkan loader fail, as on a machine without drivers;
    // the probe then runs in a child process whose complaints must not reach this one's stderr.
    const fakeVulkan = mkdtempSync(join(tmpdir(), "no-vulkan-"));
    writeFileSync(join(fakeVulkan, "libvulkan.so.1"), "");
    const code = `require("@course/lib").setup({ backend: "webgpu", quiet: true })
      .then((i) => console.log("chose " + i.backend), (e) => console.log(e.message))`;
    const started = Date.now();
    const env = { LD_LIBRARY_PATH: fakeVulkan, GENAI_BACKEND: "" };
    const { stdout, stderr } = await runNode(code, env);
    expect(Date.now() - started).toBeLessThan(15_000);
    if (!stdout.startsWith("chose webgpu")) {
      const why = "(Dawn found no GPU adapter|no Vulkan loader|only a software adapter)";
      const unavailable = "asks for the webgpu backend, but it is unavailable here: ";
      expect(stdout).toMatch(new RegExp(unavailable + why));
    }
    expect(stderr).toBe("");
  });
});

describe("tf from @course/lib", () => {
  it("has gradients and chained methods, which tfjs-core's CommonJS build lacks", async () => {
    await setup({ backend: "cpu", quiet: true });
    const x = tf.tensor1d([1, 2, 3]);
    const grad = tf.grad((v: tf.Tensor) => v.square().sum())(x);
    expect(Array.from(grad.dataSync())).toEqual([2, 4, 6]);
  });
});
