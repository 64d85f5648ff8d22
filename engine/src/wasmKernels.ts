/**
 * Makes the wasm backend trainable. tfjs-backend-wasm 4.22 has every forward kernel the course
 * uses but lacks some that only gradients call; without them `optimizer.minimize` fails with
 * "Cannot find registered kernel ... for backend 'wasm'".
 */
import * as tf from "@tensorflow/tfjs-core";
import { borrowCpuKernel } from "./borrowCpu";
import { conv2DBackpropFilterWasm } from "./convFilterGrad";
import { unsortedSegmentSumWasm } from "./segmentSum";
import { patchWasmPadding } from "./wasmPadding";

/** Kernels this module adds to wasm, and what needs each one. */
const MISSING: ReadonlyArray<[string, tf.KernelFunc]> = [
  [tf.Conv2DBackpropFilter, conv2DBackpropFilterWasm], // conv2d / conv2dTranspose weights
  [tf.UnsortedSegmentSum, unsortedSegmentSumWasm], // gather, i.e. embeddings
  [tf.DepthwiseConv2dNativeBackpropFilter, borrowCpuKernel(tf.DepthwiseConv2dNativeBackpropFilter)],
  [tf.DepthwiseConv2dNativeBackpropInput, borrowCpuKernel(tf.DepthwiseConv2dNativeBackpropInput)],
  [tf.Einsum, borrowCpuKernel(tf.Einsum)],
];

/**
 * Kernels wasm has but gets wrong, replaced. MaxPoolGrad passes no gradient back through a
 * window whose inputs are all negative, as if its running maximum started at 0 (checked against
 * finite differences; the cpu kernel is right).
 */
const WRONG: ReadonlyArray<[string, tf.KernelFunc]> = [
  [tf.MaxPoolGrad, borrowCpuKernel(tf.MaxPoolGrad)],
];

/**
 * Register the missing kernels for 'wasm' and fix the padding of its convolutions and pools.
 * Safe to call repeatedly: a kernel that is already registered (by an earlier call, or by a
 * future tfjs release) is left alone.
 */
export function registerWasmTrainingKernels(): void {
  patchWasmPadding();
  for (const [kernelName, kernelFunc] of MISSING) {
    if (tf.getKernel(kernelName, "wasm")) continue;
    tf.registerKernel({ kernelName, backendName: "wasm", kernelFunc });
  }
  for (const [kernelName, kernelFunc] of WRONG) {
    if (tf.getKernel(kernelName, "wasm")?.kernelFunc === kernelFunc) continue;
    tf.unregisterKernel(kernelName, "wasm");
    tf.registerKernel({ kernelName, backendName: "wasm", kernelFunc });
  }
}
