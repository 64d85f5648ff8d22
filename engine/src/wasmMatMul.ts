/**
 * BatchMatMul for wasm on fast kernels in every case: the course's gemm kernel where it applies
 * (wasmGemm.ts: single products and a batch against a shared b, rows a multiple of 4), XNNPACK
 * or the small SIMD kernel otherwise.
 *
 * tfjs-backend-wasm 4.22 hands a matmul to XNNPACK only when both operands are single matrices
 * and neither is transposed; everything else (the two gradients of every dense layer, which
 * are transposed, and the batched products of attention) runs a scalar triple loop at ~3
 * GFLOP/s instead of ~40. This kernel brings each case to the fast 2-D product:
 *
 * - a transposed operand is transposed explicitly first (one copy, O(size), against the
 *   O(M·K·N) product), or, where that copies fewer values, the product is computed as
 *   (op(B)ᵀ·op(A)ᵀ)ᵀ: a dense layer's dW = xᵀ·dy for x [512, 256], dy [512, 64] transposes
 *   dy and the [64, 256] result instead of x (0.9 → 0.5 ms);
 * - a batched `a` against one shared `b` (a dense layer over [batch, time, features]) is a
 *   single [batch·M, K] × [K, N] product;
 * - otherwise each batch is its own 2-D product, on heap aliases of the batch's rows (no
 *   copies), with broadcasting of the batch dimensions as in tf.matMul.
 *
 * XNNPACK packs `b` when it first sees its tensor id and keeps the packed copy until the id is
 * disposed, so a weight matrix used untransposed is still packed once, as before.
 */
import * as tf from "@tensorflow/tfjs-core";
import { Info, withKernelScope } from "./kernelScope";
import { BackendWasmInternals, HeapAliases, cwrapOnce, heapId, heapOffset } from "./wasmInternals";
import { gemmBatchMatMul, swapLast } from "./wasmGemm";
import { type SimdKernels, simdKernels } from "./wasmSimd";

type CBatchMatMul = (
  aId: number, aShape: Uint8Array, aRank: number,
  bId: number, bShape: Uint8Array, bRank: number,
  transposeA: number, transposeB: number, outId: number,
) => void;

const cBatchMatMul = cwrapOnce(
  (wasm) =>
    wasm.cwrap(tf.BatchMatMul, null, [
      "number", "array", "number", "number", "array", "number", "number", "number", "number",
    ]) as unknown as CBatchMatMul,
);

/**
 * Batched products of at most this many multiply-adds each (m·k·n) run in the course's SIMD
 * kernel (gemm of engine/wasm/gemm.wat), larger ones one XNNPACK product per batch.
 */
const SIMD_MAX_PRODUCT = 64 * 64 * 64;

const shapeBytes = (shape: number[]) => new Uint8Array(new Int32Array(shape).buffer);

/** out[M, N] = a[M, K] · b[K, N], all three C++ tensor ids of float32 data: XNNPACK's path. */
export function xnnMatMul(
  backend: BackendWasmInternals, aId: number, bId: number, outId: number,
  m: number, k: number, n: number,
): void {
  cBatchMatMul(backend)(aId, shapeBytes([1, m, k]), 3, bId, shapeBytes([1, k, n]), 3, 0, 0, outId);
}

/** A new [m, n] tensor = a[m, k] · b[k, n] (float32 tensors on `backend`), on XNNPACK. */
export function xnnMatMulInfo(
  backend: BackendWasmInternals, a: Info, b: Info, m: number, k: number, n: number,
): Info {
  const out = backend.makeOutput([m, n], "float32");
  xnnMatMul(backend, heapId(backend, a), heapId(backend, b), heapId(backend, out), m, k, n);
  return out;
}

/**
 * out[m, n] = a[m, k] · b[k, n]: in the course's SIMD kernel when it is small (at most
 * SIMD_MAX_PRODUCT multiply-adds), where XNNPACK's set-up and packing of b cost more than the
 * product (a critic's last layer, [32, 6272]ᵀ·[32, 1]: 0.5 → 0.05 ms), else on XNNPACK.
 */
function smallOrXnn(backend: BackendWasmInternals, a: Info, b: Info, out: Info, m: number, k: number, n: number): void {
  const simd = m * k * n <= SIMD_MAX_PRODUCT ? simdKernels(backend) : null;
  if (simd) rowMajorGemm(simd, heapOffset(backend, a), heapOffset(backend, b), heapOffset(backend, out), m, k, n);
  else xnnMatMul(backend, heapId(backend, a), heapId(backend, b), heapId(backend, out), m, k, n);
}

/** out[m, n] = a[m, k] · b[k, n], all row-major at byte offsets, in gemm on this thread. */
function rowMajorGemm(simd: SimdKernels, a: number, b: number, out: number, m: number, k: number, n: number): void {
  simd.gemm(a, b, out, m, n, k, 4 * k, 4, 4 * n, 4 * n, 0);
}

/**
 * Values an unbatched product copies in transposes: computing out = op(A)·op(B) directly
 * transposes each operand given transposed; as (op(B)ᵀ·op(A)ᵀ)ᵀ, each given untransposed,
 * plus the [N, M] result.
 */
function transposedCost(m: number, k: number, n: number, ta: boolean, tb: boolean, swapped: boolean): number {
  return swapped ? (ta ? 0 : k * m) + (tb ? 0 : k * n) + m * n : (ta ? k * m : 0) + (tb ? k * n : 0);
}

/** For each batch of the broadcast output, the batch of `outer` (a's or b's) that it reads. */
function batchIndices(outer: number[], outOuter: number[]): number[] {
  const total = tf.util.sizeFromShape(outOuter);
  const shift = outOuter.length - outer.length;
  const result = new Array<number>(total);
  for (let o = 0; o < total; o++) {
    let rest = o, index = 0, stride = 1;
    for (let d = outOuter.length - 1; d >= 0; d--) {
      const size = outOuter[d] as number;
      const coordinate = rest % size;
      rest = Math.floor(rest / size);
      const own = d - shift;
      if (own >= 0) {
        const ownSize = outer[own] as number;
        if (ownSize !== 1) index += coordinate * stride;
        stride *= ownSize;
      }
    }
    result[o] = index;
  }
  return result;
}

/** The fast BatchMatMul, falling back to `original` where that is already fast or exotic. */
export function makeBatchMatMulWasm(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { a, b } = args.inputs as { a: Info; b: Info };
    const { transposeA, transposeB } = args.attrs as unknown as tf.BatchMatMulAttrs;
    if (a.dtype !== "float32" || b.dtype !== "float32") return original(args);
    const ra = a.shape.length, rb = b.shape.length;
    const m = (transposeA ? a.shape[ra - 1] : a.shape[ra - 2]) as number;
    const k = (transposeA ? a.shape[ra - 2] : a.shape[ra - 1]) as number;
    const kb = (transposeB ? b.shape[rb - 1] : b.shape[rb - 2]) as number;
    const n = (transposeB ? b.shape[rb - 2] : b.shape[rb - 1]) as number;
    const outerA = a.shape.slice(0, -2), outerB = b.shape.slice(0, -2);
    const batchA = tf.util.sizeFromShape(outerA), batchB = tf.util.sizeFromShape(outerB);
    // Mismatched shapes: the original throws tfjs's own message.
    if (k !== kb || m * k * n === 0) return original(args);
    const backend = args.backend as BackendWasmInternals;
    const outOuter = tf.backend_util.assertAndGetBroadcastShape(outerA, outerB);
    const outShape = [...outOuter, m, n];
    const viaGemm = gemmBatchMatMul(backend, a, b, transposeA, transposeB, { m, k, n, batchA, batchB, outShape });
    if (viaGemm) return viaGemm;
    if (!transposeA && !transposeB && batchA === 1 && batchB === 1) return original(args); // XNNPACK's own path

    if (batchA === 1 && batchB === 1 && transposedCost(m, k, n, transposeA, transposeB, true) <
      transposedCost(m, k, n, transposeA, transposeB, false)) {
      // (Bᵀ·Aᵀ)ᵀ moves fewer values: e.g. a dense layer's dW = xᵀ·dy with x wider than dy.
      return withKernelScope(backend, "wasm", (scope) => {
        const bT = transposeB ? b : scope.run(tf.Transpose, { x: b }, { perm: swapLast(rb) }); // [N, K]
        const aT = transposeA ? a : scope.run(tf.Transpose, { x: a }, { perm: swapLast(ra) }); // [K, M]
        const outT = scope.adopt(backend.makeOutput([n, m], "float32"));
        smallOrXnn(backend, bT, aT, outT, n, k, m);
        const out = scope.run(tf.Transpose, { x: outT }, { perm: [1, 0] }); //             [M, N]
        out.shape = outShape;
        return out;
      });
    }
    return withKernelScope(backend, "wasm", (scope) => {
      const aN = transposeA ? scope.run(tf.Transpose, { x: a }, { perm: swapLast(ra) }) : a;
      const bN = transposeB ? scope.run(tf.Transpose, { x: b }, { perm: swapLast(rb) }) : b;
      const out = scope.adopt(backend.makeOutput(outShape, "float32"));
      const outBatch = tf.util.sizeFromShape(outOuter);
      if (batchB === 1 && batchA === outBatch) {
        // One shared b: stack a's batches into the rows of one product.
        smallOrXnn(backend, aN, bN, out, batchA * m, k, n);
        return out;
      }
      const aOf = batchIndices(outerA, outOuter), bOf = batchIndices(outerB, outOuter);
      const simd = m * k * n <= SIMD_MAX_PRODUCT ? simdKernels(backend) : null;
      if (simd) {
        // Small products (attention's per-head q·kᵀ and p·v) in the course's SIMD kernel.
        const [aBase, bBase, outBase] = [aN, bN, out].map((t) => heapOffset(backend, t)) as [number, number, number];
        for (let o = 0; o < outBatch; o++) {
          rowMajorGemm(simd, aBase + (aOf[o] as number) * m * k * 4, bBase + (bOf[o] as number) * k * n * 4, outBase + o * m * n * 4, m, k, n);
        }
        return out;
      }
      const aliases = new HeapAliases(backend);
      try {
        const aBase = heapOffset(backend, aN), bBase = heapOffset(backend, bN);
        const outBase = heapOffset(backend, out);
        // One alias per distinct batch of b, so XNNPACK packs each only once.
        const aIds = new Map<number, number>(), bIds = new Map<number, number>();
        for (let o = 0; o < outBatch; o++) {
          const ia = aOf[o] as number, ib = bOf[o] as number;
          let aId = aIds.get(ia);
          if (aId === undefined) aIds.set(ia, (aId = aliases.alias(aBase + ia * m * k * 4, m * k)));
          let bId = bIds.get(ib);
          if (bId === undefined) bIds.set(ib, (bId = aliases.alias(bBase + ib * k * n * 4, k * n)));
          const outId = aliases.alias(outBase + o * m * n * 4, m * n);
          xnnMatMul(backend, aId, bId, outId, m, k, n);
        }
      } finally {
        aliases.dispose();
      }
      return out;
    });
  };
}

/**
 * _FusedMatMul (matmul + bias + activation in one kernel) on XNNPACK in the common cases: a
 * transposed operand is transposed first, and a batched `a` against one shared `b` (after
 * tf.fused.matMul's reshape to rank 3) becomes one [batch·M, K] × [K, N] product, with the
 * bias and activation still fused. Batched `b` and PReLU weights keep the original kernel.
 */
export function makeFusedMatMulWasm(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { a, b, bias, preluActivationWeights } = args.inputs as Record<string, Info | undefined>;
    const attrs = args.attrs as unknown as tf._FusedMatMulAttrs;
    const { transposeA, transposeB } = attrs;
    if (!a || !b || a.shape.length !== 3 || b.shape.length !== 3) return original(args);
    type Dims = [number, number, number];
    const [batchA, m, k] = (transposeA ? [a.shape[0], a.shape[2], a.shape[1]] : a.shape) as Dims;
    const [batchB, kb, n] = (transposeB ? [b.shape[0], b.shape[2], b.shape[1]] : b.shape) as Dims;
    const alreadyFast = !transposeA && !transposeB && batchA === 1 && batchB === 1;
    // XNNPACK reads one bias value per output column: other bias shapes keep the original.
    const oddBias = bias !== undefined && (bias.shape.length !== 1 || bias.shape[0] !== n);
    if (alreadyFast || batchB !== 1 || preluActivationWeights || oddBias || k !== kb ||
      a.dtype !== "float32" || b.dtype !== "float32" || m * k * n === 0) {
      return original(args);
    }
    const backend = args.backend as BackendWasmInternals;
    return withKernelScope(backend, "wasm", (scope) => {
      const aN = transposeA ? scope.run(tf.Transpose, { x: a }, { perm: [0, 2, 1] }) : a;
      const bN = transposeB ? scope.run(tf.Transpose, { x: b }, { perm: [0, 2, 1] }) : b;
      const rows = { dataId: aN.dataId, shape: [1, batchA * m, k], dtype: aN.dtype };
      const inputs: tf.NamedTensorInfoMap = { a: rows, b: bN };
      if (bias) inputs.bias = bias;
      const plain = { ...attrs, transposeA: false, transposeB: false } as unknown as tf.NamedAttrMap;
      const out = original({ inputs, attrs: plain, backend }) as Info;
      scope.adopt(out);
      out.shape = [batchA, m, n];
      return out;
    });
  };
}
