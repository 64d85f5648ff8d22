/**
 * The control block that wasmGemmThreads.ts and gemmWorker.ts share (Int32 slots), and the one
 * loop both run. A job is one gemm split into CHUNKS blocks of ROWS rows of c; each thread takes
 * the next block with a compare-and-swap on NEXT until none is left, and counts each block it
 * finished in FINISHED. NEXT and FINISHED carry the job's tag in their high bits, so a thread
 * that wakes late can neither take a block of a finished job nor count one into the next.
 */
export const JOB = 0; // the job counter the helper waits on
export const READY = 1; // how many helpers have instantiated gemm
export const NEXT = 2; // tag << 16 | the next block to take
export const FINISHED = 3; // tag << 16 | blocks done
export const CHUNKS = 4; // blocks in the job
export const ROWS = 5; // rows of c per block (a multiple of 4)
export const ARGS = 6; // gemm's 11 arguments, for all of c
export const SLOTS = ARGS + 11;

/** gemm(a, b, c, m, n, k, ra, ca, ldb, ldc, acc): see engine/wasm/gemm.wat. */
export type GemmArgs = [number, number, number, number, number, number, number, number, number, number, number];
export type Gemm = (...args: GemmArgs) => void;

/** The tag of job number `job` (15 bits, so that tag << 16 stays a positive Int32). */
export const tagOf = (job: number): number => job & 0x7fff;

/** Take and compute blocks of job `tag` until none is left. */
export function work(ctl: Int32Array, gemm: Gemm, tag: number): void {
  for (;;) {
    const next = Atomics.load(ctl, NEXT);
    if (next >>> 16 !== tag) return;
    const block = next & 0xffff;
    if (block >= Atomics.load(ctl, CHUNKS)) return;
    if (Atomics.compareExchange(ctl, NEXT, next, next + 1) !== next) continue;
    const [a, b, c, m, n, k, ra, ca, ldb, ldc, acc] = ctl.subarray(ARGS, ARGS + 11) as unknown as GemmArgs;
    const rows = Atomics.load(ctl, ROWS), first = block * rows;
    gemm(a + first * ra, b, c + first * ldc, Math.min(rows, m - first), n, k, ra, ca, ldb, ldc, acc);
    Atomics.add(ctl, FINISHED, 1);
    Atomics.notify(ctl, FINISHED);
  }
}
