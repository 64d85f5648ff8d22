/**
 * A helper thread for the course's gemm kernel (wasmGemmThreads.ts starts it): it instantiates
 * gemm.wat on the wasm backend's shared memory; each time the job counter moves, it takes blocks
 * of that product until none is left (gemmControl.ts), then waits for the next job.
 */
import { workerData } from "node:worker_threads";
import { JOB, READY, type Gemm, tagOf, work } from "./gemmControl";

// Not `module`: that name is CommonJS's own in this compiled file.
const { memory, gemmModule, control, spinMs } = workerData as {
  memory: WebAssembly.Memory;
  gemmModule: WebAssembly.Module;
  control: SharedArrayBuffer;
  spinMs: number;
};
const { gemm } = new WebAssembly.Instance(gemmModule, { env: { memory } }).exports as unknown as { gemm: Gemm };
const ctl = new Int32Array(control);
Atomics.add(ctl, READY, 1);
let seen = 0;
for (;;) {
  // Products come in bursts (a layer's forward, then its two gradients): stay awake a moment.
  const until = performance.now() + spinMs;
  while (Atomics.load(ctl, JOB) === seen && performance.now() < until);
  Atomics.wait(ctl, JOB, seen);
  seen = Atomics.load(ctl, JOB);
  work(ctl, gemm, tagOf(seen));
}
