/**
 * How fast one matrix product runs: TensorFlow.js wasm at 1 thread and at setup()'s default
 * threads, and PyTorch at 1 thread and at its defaults when /usr/bin/python3 imports torch
 * (Debian's python3-torch), for the shapes of the
 * course's small models (512³, and a GPT's 768×128×512 and 768×512×128). Each: 5 warm-up
 * products, then the mean of 50.
 *
 *   npx tsx bench/gemm.ts            (after npm run build)
 *
 * docs/PERFORMANCE.md quotes its numbers: they bound every model's step from below.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const SHAPES: Array<[number, number, number]> = [[512, 512, 512], [768, 128, 512], [768, 512, 128]];
const REPEATS = 50;

async function tfjsRates(): Promise<void> {
  const { setup, tf } = await import("@course/lib");
  const info = await setup({ seed: 1, quiet: true, backend: "wasm" });
  for (const [m, k, n] of SHAPES) {
    const [a, b] = [tf.randomNormal([m, k]), tf.randomNormal([k, n])];
    for (let i = 0; i < 5; i++) tf.matMul(a, b).dispose();
    const t0 = performance.now();
    for (let i = 0; i < REPEATS; i++) tf.matMul(a, b).dispose();
    const ms = (performance.now() - t0) / REPEATS;
    console.log(`tfjs ${info.device}  ${m}×${k}×${n}  ${ms.toFixed(3)} ms  ${(2 * m * k * n / ms / 1e6).toFixed(1)} GFLOP/s`);
    tf.dispose([a, b]);
  }
}

// Each thread count needs its own process: the wasm backend's threads are fixed when it starts.
if (process.env.GEMM_CHILD) {
  await tfjsRates();
} else {
  const self = fileURLToPath(import.meta.url);
  const tsx = fileURLToPath(new URL("../node_modules/tsx/dist/cli.mjs", import.meta.url));
  for (const threads of ["1", ""]) {
    const env = { ...process.env, GEMM_CHILD: "1", GENAI_WASM_THREADS: threads };
    spawnSync(process.execPath, [tsx, self], { env, stdio: "inherit" });
  }
  const script = fileURLToPath(new URL("pytorch/gemm.py", import.meta.url));
  for (const threads of [1, 0]) {
    const env = threads ? { ...process.env, OMP_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1" } : process.env;
    const py = spawnSync("/usr/bin/python3", [script, JSON.stringify(SHAPES), String(threads)], { encoding: "utf8", env });
    if (py.status !== 0) {
      console.log("PyTorch: not measured (/usr/bin/python3 cannot import torch)");
      break;
    }
    for (const line of py.stdout.trim().split("\n")) {
      const r = JSON.parse(line) as { shape: number[]; ms: number; gflops: number };
      const label = threads ? "1 thread" : "defaults";
      console.log(`PyTorch ${label}  ${r.shape.join("×")}  ${r.ms.toFixed(3)} ms  ${r.gflops.toFixed(1)} GFLOP/s`);
    }
  }
}
