/**
 * Where one training step's time goes, kernel by kernel, on one backend configuration:
 *   npx tsx bench/profile.ts [--backend wasm|wasm-1thread|wasm-stock|cpu|webgpu|tensorflow] [--models a,b]
 *                            [--top 12] [--steps 3] [--by-shape]
 * After the benchmark's guard and warm-up, `--steps` steps run under tf.profile; per model it
 * prints the step's wall time, the number of kernels one step launches, the time inside kernels
 * (the rest is JavaScript between kernels: tape, shape checks, tensor bookkeeping, the
 * optimiser's loop) and the kernels that take the most time, with the input shapes of their
 * costliest call. Kernel times are wall time around each kernel, so they are meaningful only on
 * synchronous backends (wasm, cpu, tensorflow). `--by-shape` lists each kernel once per distinct
 * set of input shapes, with the GFLOP/s of the products and convolutions among them.
 *
 * It also counts the step's arithmetic in matrix products and convolutions (`productFlop`) and
 * what those alone would take at `--rate` GFLOP/s (default 80, the best 2-thread wasm rate that
 * `npx tsx bench/gemm.ts` measures here): a floor on the step's time however cheap everything
 * else became.
 */
import type { BackendName, tf as Tf } from "@course/lib";

const argv = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? (argv[i + 1] as string) : fallback;
};
const config = flag("--backend", "wasm");
const topN = Number(flag("--top", "12"));
const steps = Number(flag("--steps", "3"));
const rate = Number(flag("--rate", "80"));
const byShape = argv.includes("--by-shape");
if (config === "wasm-stock") process.env.GENAI_WASM_SPEEDUPS = "0";
if (config === "wasm-1thread") process.env.GENAI_WASM_THREADS = "1";

// Imported after the environment is set: the library reads GENAI_WASM_SPEEDUPS at setup().
const { Rng, setup, tf } = await import("@course/lib");
const { BUILDERS } = await import("./lessons");
const { MODEL_NAMES } = await import("./catalog");

const models = flag("--models", MODEL_NAMES.join(",")).split(",").filter(Boolean);
const backend = (config.startsWith("wasm-") ? "wasm" : config) as BackendName;
const info = await setup({ seed: 1234, backend, quiet: true });
console.log(`${config}: ${info.backend} (${info.device})`);

interface Row { ms: number; calls: number; worst: number; worstShapes: string; flop: number }

const size = (shape: number[] | undefined): number => (shape ? shape.reduce((a, b) => a * b, 1) : 0);

/**
 * Multiply-adds ×2 of one product-like kernel, from its input and output shapes (the profiler
 * gives no attributes: a matmul's K is whichever dimension of `a` its output lacks).
 */
function productFlop(name: string, inputs: number[][], outputs: number[][]): number {
  const [a, b] = inputs, out = outputs[0];
  switch (name) {
    case "BatchMatMul":
    case "_FusedMatMul": {
      if (!a || !out || a.length < 2) return 0;
      const [r, c] = a.slice(-2) as [number, number];
      return 2 * size(out) * (r === out[out.length - 2] ? c : r);
    }
    case "Conv2D":
    case "FusedConv2D": // x, filter [fh, fw, inC, outC] → y
      return b ? 2 * size(out) * size(b) / (b[3] ?? 1) : 0;
    case "Conv2DBackpropInput": // dy, filter → dx
      return a && b ? 2 * size(a) * size(b) / (b[3] ?? 1) : 0;
    case "Conv2DBackpropFilter": // x, dy → filter
      return b && out ? 2 * size(b) * size(out) / (out[3] ?? 1) : 0;
    case "CourseLstmForward": // xz [B, T, 4H], Wh [H, 4H]: h·Wh at each step
      return a && b ? 2 * size(a) * (b[0] ?? 0) : 0;
    case "CourseLstmBackward": // dy [B, T + 1, H], Wh: dz·Whᵀ and hᵀ·dz at each step
      return a && b ? 4 * (a[0] ?? 0) * ((a[1] ?? 1) - 1) * size(b) : 0;
    default:
      return 0;
  }
}

for (const name of models) {
  const build = BUILDERS[name];
  if (!build) throw new Error(`no model named ${name}; choose from ${MODEL_NAMES.join(", ")}`);
  const model = build(new Rng(1234));
  const read = async (t: Tf.Tensor): Promise<void> => {
    await t.data();
    t.dispose();
  };
  for (let i = 0; i < 5; i++) await read(model.step()); // the guard's and warm-up's steps
  const rows = new Map<string, Row>();
  let wall = 0;
  let kernelMs = 0;
  let launches = 0;
  let flop = 0;
  let productMs = 0;
  for (let s = 0; s < steps; s++) {
    const t0 = performance.now();
    let out: Tf.Tensor | null = null;
    const profile = await tf.profile(() => {
      out = model.step();
      return out;
    });
    await read(out!);
    wall += performance.now() - t0;
    for (const k of profile.kernels) {
      const ms = Number(await k.kernelTimeMs);
      const shapes = k.inputShapes.map((sh) => `[${sh.join(",")}]`).join(" ");
      const key = byShape ? `${k.name} ${shapes}` : k.name;
      const row = rows.get(key) ?? { ms: 0, calls: 0, worst: 0, worstShapes: "", flop: 0 };
      const f = productFlop(k.name, k.inputShapes, k.outputShapes);
      row.ms += ms;
      row.calls += 1;
      row.flop += f;
      if (ms > row.worst) {
        row.worst = ms;
        row.worstShapes = shapes;
      }
      rows.set(key, row);
      kernelMs += ms;
      launches += 1;
      flop += f;
      if (f > 0) productMs += ms;
    }
  }
  model.dispose();
  const per = (x: number): string => (x / steps).toFixed(1);
  console.log(
    `\n${name}: ${per(wall)} ms/step under the profiler, ${Math.round(launches / steps)} kernels/step, ` +
      `${per(kernelMs)} ms in kernels, ${per(wall - kernelMs)} ms between them`,
  );
  const mflop = flop / steps / 1e6;
  console.log(
    `  products and convolutions: ${mflop.toFixed(0)} MFLOP/step in ${per(productMs)} ms ` +
      `(${(mflop / (productMs / steps)).toFixed(0)} GFLOP/s); ${(mflop / rate).toFixed(1)} ms at ${rate} GFLOP/s`,
  );
  const sorted = [...rows.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, topN);
  for (const [kernel, r] of sorted) {
    const share = ((100 * r.ms) / kernelMs).toFixed(0).padStart(3);
    const head = `  ${share}%  ${per(r.ms).padStart(7)} ms  ${String(Math.round(r.calls / steps)).padStart(4)}×  `;
    const gflops = r.flop > 0 ? ` ${(r.flop / r.ms / 1e6).toFixed(0).padStart(3)} GFLOP/s` : "";
    console.log(byShape
      ? `${head}${gflops.padEnd(12)} ${kernel}`
      : `${head}${kernel.padEnd(24)} worst ${r.worst.toFixed(2)} ms on ${r.worstShapes}${gflops}`);
  }
}
