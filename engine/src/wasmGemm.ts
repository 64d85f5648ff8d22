/**
 * Matrix products in the course's SIMD kernel (gemm of engine/wasm/gemm.wat) instead of XNNPACK,
 * for the mid-sized products of a small model's dense layers.
 *
 * XNNPACK creates an operator and packs `b` whenever it meets a new tensor as `b`, which in
 * training is every product of every step (the weights change at every update, and the
 * gradients' products take activations as `b`). In a GPT step its products took 12.1 ms where
 * the same calls, repeated at once on the same tensors, took 8.1. gemm reads a and b where they
 * lie: A through strides, so aᵀ·b (a dense layer's dW = xᵀ·dy) needs no transpose, and b row by
 * row. One thread reaches ~54 GFLOP/s on [512, 64]·[64, 192] (XNNPACK: 41 on one thread in a
 * loop, less in a step).
 *
 * It takes op(a)·op(b) when a and b are single matrices, or a is a batch against one shared b
 * (a dense layer over [batch, time, features]; a not transposed), with M a multiple of 4 and b
 * small enough to stay in the core's cache (k·n ≤ GEMM_MAX_B); a transposed b is transposed
 * first (a weight matrix: a few thousand values). Large products are shared with helper threads
 * (wasmGemmThreads.ts).
 */
import * as tf from "@tensorflow/tfjs-core";
import { Info, withKernelScope } from "./kernelScope";
import { BackendWasmInternals, heapOffset } from "./wasmInternals";
import { gemmThreaded } from "./wasmGemmThreads";
import { simdKernels } from "./wasmSimd";

/** The most values of b (k·n) that gemm takes: 1 MiB of float32. */
const GEMM_MAX_B = 256 * 1024;
/** GENAI_WASM_GEMM=0 leaves every product to XNNPACK as before, to compare the two. */
const GEMM_ON = process.env.GENAI_WASM_GEMM !== "0";

/** A product's sizes, as BatchMatMul's kernel has worked them out: op(a) [.., m, k], op(b) [.., k, n]. */
export interface ProductDims {
  m: number;
  k: number;
  n: number;
  batchA: number;
  batchB: number;
  outShape: number[];
}

/** op(a)·op(b) as BatchMatMul's output, or null where gemm does not take the product. */
export function gemmBatchMatMul(
  backend: BackendWasmInternals, a: Info, b: Info, transposeA: boolean, transposeB: boolean, d: ProductDims,
): Info | null {
  const { m, k, n, batchA, batchB } = d;
  const rows = batchA * m;
  if (batchB !== 1 || (transposeA && batchA !== 1) || rows % 4 !== 0 || k * n > GEMM_MAX_B) return null;
  const simd = GEMM_ON ? simdKernels(backend) : null;
  if (!simd) return null;
  return withKernelScope(backend, "wasm", (scope) => {
    const bN = transposeB ? scope.run(tf.Transpose, { x: b }, { perm: swapLast(b.shape.length) }) : b; // [.., K, N]
    const out = scope.adopt(backend.makeOutput(d.outShape, "float32"));
    // A(i, kk) is a[i, kk], or a[kk, i] when a is transposed: byte strides along i and along kk.
    const [rowStride, kStride] = transposeA ? [4, 4 * m] : [4 * k, 4];
    gemmThreaded(backend, simd, [heapOffset(backend, a), heapOffset(backend, bN), heapOffset(backend, out), rows, n, k, rowStride, kStride, 4 * n, 4 * n, 0]);
    return out;
  });
}

/** The permutation that swaps the last two axes of a rank-`rank` tensor. */
export function swapLast(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}
