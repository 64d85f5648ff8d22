/**
 * One Adam update of one variable as a single wasm kernel on the heap. tf.train.adam spends
 * ~13 kernels per variable per step (mul, add, square, div, sqrt, … each a pass over the values
 * and a trip through the engine); this one reads the value, gradient and both moments once and
 * writes three new tensors (no input is changed in place, so a tensor that is shared elsewhere
 * stays as it was). The maths is tf.train.adam's (Kingma & Ba, 2015, Algorithm 1):
 *
 *   m' = β1·m + (1 − β1)·g          v' = β2·v + (1 − β2)·g²
 *   value' = value − lr · (m' / (1 − β1ᵗ)) / (√(v' / (1 − β2ᵗ)) + ε)
 *
 * β1ᵗ and β2ᵗ come in as the optimiser's scalar tensors (accBeta1, accBeta2), read on the heap.
 * The loop runs in the course's SIMD kernel (engine/wasm/kernels.wat, float32 as tfjs's ops are,
 * ~8× faster) or, where that did not load, in JavaScript (float64 until each store).
 */
import * as tf from "@tensorflow/tfjs-core";
import { Info } from "./kernelScope";
import { BackendWasmInternals, heapOffset, registerNewWasmKernels } from "./wasmInternals";
import { simdKernels } from "./wasmSimd";

/** The kernel's name: inputs value, grad, m, v, accBeta1, accBeta2 → [value', m', v']. */
export const ADAM_UPDATE = "GenaiAdamUpdate";

/** The kernel's attributes. */
export interface AdamUpdateAttrs {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

interface AdamInputs {
  value: Info;
  grad: Info;
  m: Info;
  v: Info;
  accBeta1: Info;
  accBeta2: Info;
}

function adamUpdateWasm(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): Info[] {
  const { value, grad, m, v, accBeta1, accBeta2 } = args.inputs as unknown as AdamInputs;
  const { learningRate: lr, beta1, beta2, epsilon } = args.attrs as unknown as AdamUpdateAttrs;
  const n = tf.util.sizeFromShape(value.shape);
  if ([grad, m, v].some((t) => tf.util.sizeFromShape(t.shape) !== n || t.dtype !== "float32")) {
    throw new Error(`${ADAM_UPDATE}: value, gradient and moments must be float32 of ${n} values each`);
  }
  const backend = args.backend as BackendWasmInternals;
  const outs = [value, m, v].map((t) => backend.makeOutput(t.shape, "float32"));
  const b1t = (backend.typedArrayFromHeap(accBeta1) as Float32Array)[0] as number;
  const b2t = (backend.typedArrayFromHeap(accBeta2) as Float32Array)[0] as number;
  // 1 − βᵗ in float32, as tf.train.adam's sub(1, accBeta) gives it; multiplying by their
  // inverses saves two divisions per value (a quarter of the loop's time).
  const k1 = -lr / Math.fround(1 - b1t), k2 = 1 / Math.fround(1 - b2t);
  const a1 = 1 - beta1, a2 = 1 - beta2;
  const simd = simdKernels(backend);
  if (simd) {
    const [w, g, mo, vo, nwo, nmo, nvo] = [value, grad, m, v, ...outs].map((t) => heapOffset(backend, t as Info));
    simd.adamUpdate(w!, g!, mo!, vo!, nwo!, nmo!, nvo!, n, beta1, beta2, a1, a2, k1, k2, epsilon);
    return outs;
  }
  // Views only after makeOutput, which may grow (and so detach) the heap.
  const [wv, mv, vv, gv, nw, nm, nv] = [value, m, v, grad, ...outs].map((t) => backend.typedArrayFromHeap(t as Info) as Float32Array);
  for (let i = 0; i < n; i++) {
    const g = gv![i] as number;
    const mi = beta1 * (mv![i] as number) + a1 * g;
    const vi = beta2 * (vv![i] as number) + a2 * g * g;
    nm![i] = mi;
    nv![i] = vi;
    nw![i] = (wv![i] as number) + (k1 * mi) / (Math.sqrt(vi * k2) + epsilon);
  }
  return outs;
}

/** Register the kernel for 'wasm' once (a new kernel name: no tfjs kernel is replaced). */
export function registerAdamUpdateWasm(): void {
  registerNewWasmKernels([[ADAM_UPDATE, adamUpdateWasm]]);
}

/** New value, m and v of one variable; the caller assigns them.  All the variable's shape. */
export function adamUpdate(
  value: tf.Tensor, grad: tf.Tensor, m: tf.Tensor, v: tf.Tensor, accBeta1: tf.Tensor, accBeta2: tf.Tensor,
  attrs: AdamUpdateAttrs,
): [tf.Tensor, tf.Tensor, tf.Tensor] {
  const inputs = { value, grad, m, v, accBeta1, accBeta2 } as unknown as tf.NamedTensorMap;
  return tf.engine().runKernel(ADAM_UPDATE, inputs, attrs as unknown as tf.NamedAttrMap) as unknown as [tf.Tensor, tf.Tensor, tf.Tensor];
}
