/**
 * The seam between the maths and the speed. Models call a few functions through `seam` rather
 * than directly — the one visible line `seam.gptBlock(block, x, heads)` — and by default that IS
 * the plain function their notebook derives (gpt-layers.ts's gptBlock, lstm-layers.ts's
 * lstmUnroll, norm.ts's norms, tf's Adam update). setup() offers the engine's fused versions
 * (@course/engine, `provide`); each comes with a test, asked at every call, of when it may run
 * (the wasm backend with its fused kernels on; GENAI_WASM_FUSED=0 or GENAI_WASM_SPEEDUPS=0 say
 * no), and where it says no the plain function runs. nanoGPT's `if self.flash:` is the model:
 * one switch in one place, the same values either way (the engine's tests check that).
 */
import { gptBlock, layerNorm } from "./lm/gpt-layers";
import { lstmUnroll } from "./lm/lstm-layers";
import { normalizeBatch, normalizeGroups, normalizeGroupsSilu } from "./nn/norm";
import { tf } from "./tf";

type Gradients = Parameters<tf.AdamOptimizer["applyGradients"]>[0];

/** tf.AdamOptimizer's own update (tf.train.adam's), whatever subclass `opt` is. */
function adamApply(opt: tf.AdamOptimizer, gradients: Gradients): void {
  tf.AdamOptimizer.prototype.applyGradients.call(opt, gradients);
}

/** The plain functions, by the name the seam calls them. */
const PLAIN = {
  gptBlock,
  layerNorm,
  lstmUnroll,
  groupNorm: normalizeGroups,
  groupNormSilu: normalizeGroupsSilu,
  batchNorm: normalizeBatch,
  adamApply,
};

export type SeamFunctions = typeof PLAIN;
export type SeamName = keyof SeamFunctions;
type Fn = (...args: never[]) => unknown;

/** A faster version of a function, and the test (given the call's arguments) of when it may run. */
export interface FastPath<F extends Fn> {
  run: F;
  applies: (...args: Parameters<F>) => boolean;
}

type FastPaths = { [K in SeamName]?: FastPath<SeamFunctions[K]> };
const fast: FastPaths = {};

function dispatch<K extends SeamName>(name: K): SeamFunctions[K] {
  const call = (...args: unknown[]): unknown => {
    const path = fast[name] as FastPath<Fn> | undefined;
    const f = (path && path.applies(...(args as never[])) ? path.run : PLAIN[name]) as (...a: unknown[]) => unknown;
    return f(...args);
  };
  return call as unknown as SeamFunctions[K];
}

/** What models call: each entry is the plain function unless a fast path was provided and applies. */
export const seam: SeamFunctions = {
  gptBlock: dispatch("gptBlock"),
  layerNorm: dispatch("layerNorm"),
  lstmUnroll: dispatch("lstmUnroll"),
  groupNorm: dispatch("groupNorm"),
  groupNormSilu: dispatch("groupNormSilu"),
  batchNorm: dispatch("batchNorm"),
  adamApply: dispatch("adamApply"),
};

/** Offer a fast version of `name` (setup() does this with the engine's); it replaces any earlier one. */
export function provide<K extends SeamName>(name: K, path: FastPath<SeamFunctions[K]>): void {
  (fast as Record<SeamName, unknown>)[name] = path;
}

/** Forget every fast version: from now on the seam runs the plain maths only. */
export function usePlainMaths(): void {
  for (const name of Object.keys(fast) as SeamName[]) delete fast[name];
}

/** The names that have a fast version now (whether or not it applies to the next call). */
export function fastPaths(): SeamName[] {
  return Object.keys(fast) as SeamName[];
}
