/**
 * Swapping tfjs-core's gradient of one kernel for a faster one on wasm, reversibly.
 *
 * The replacement is registered for every backend (tfjs keeps one gradient per kernel name) but
 * takes over only while the current backend is wasm; elsewhere it calls tfjs's own, so the cpu
 * backend stays the unmodified reference. `restore()` puts tfjs's own back.
 */
import * as tf from "@tensorflow/tfjs-core";
import { isWasmBackend } from "./wasmInternals";

type Grads = Record<string, () => tf.Tensor>;
export type WasmGrad = (dy: tf.Tensor, saved: tf.Tensor[], attrs: tf.NamedAttrMap) => Grads;

export interface GradOverride {
  /** Use the wasm gradient. Needs tfjs-core's gradients registered. Idempotent. */
  install(): void;
  /** Put tfjs-core's own gradient back. */
  restore(): void;
}

export function gradOverride(kernelName: string, inputsToSave: string[], wasmGrad: WasmGrad): GradOverride {
  let stock: tf.GradConfig | undefined;
  let installed: tf.GradConfig | undefined;
  return {
    install() {
      const current = tf.getGradient(kernelName);
      if (!current || current === installed) return;
      stock = current;
      const original = current;
      installed = {
        ...original,
        kernelName,
        inputsToSave,
        gradFunc: (dy, saved, attrs) =>
          !isWasmBackend(tf.backend()) || Array.isArray(dy)
            ? original.gradFunc(dy, saved, attrs)
            : wasmGrad(dy, saved, attrs),
      };
      tf.registerGradient(installed);
    },
    restore() {
      if (stock && tf.getGradient(kernelName) === installed) tf.registerGradient(stock);
      installed = undefined;
    },
  };
}
