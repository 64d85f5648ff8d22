/**
 * Conv2DBackpropInput for wasm as one XNNPACK convolution per phase (convInputGrad.ts has the
 * maths of the phases). Run as a single convolution, the phases share one output grid, which
 * covers every phase's rows: with a 4×4 filter at stride 2 and 'same' padding, 8×8 positions
 * per phase for the 7×7 that a 14×14 output needs, 23 % of the work thrown away. Here each
 * phase is its own stride-1 convolution of dy, padded so that it computes exactly its own
 * h/sh × w/sw pixels; the phase outputs are laid side by side and interleaved by one transpose.
 * Per training step under bench/profile.ts, ms, one convolution → one per phase: DCGAN
 * [32,7,7,128] → 14×14×64, 4×4/2 (five calls): 43.9 → 37.5; VAE decoder [32,7,7,64] → 14×14×32
 * (two calls): 6.3 → 4.3.
 *
 * It applies where the strides divide the output size, dx has at least MIN_CHANNELS channels and
 * every phase needs no more of dy than dy has (no negative padding); phasesPlan() returns null
 * otherwise.
 */
import * as tf from "@tensorflow/tfjs-core";
import { Info, KernelScope, withKernelScope } from "./kernelScope";
import { BackendWasmInternals } from "./wasmInternals";

type Shape4 = [number, number, number, number];

/** What convInputGrad.ts's plan() knows of the convolution. */
export interface PhaseGeometry {
  batch: number; h: number; w: number; cin: number; cout: number;
  fh: number; fw: number; sh: number; sw: number; th: number; tw: number; top: number; left: number;
}

/** One dimension's phase r: where its pixels land in dx (residue e) and dy's padding for it. */
interface Phase { r: number; e: number; before: number; after: number }

/** The phases of one dimension, or null where one would need negative padding. */
function phasesOf(size: number, outSize: number, s: number, t: number, pad: number): Phase[] | null {
  const n = size / s, phases: Phase[] = [];
  for (let r = 0; r < s; r++) {
    const e = (((r - pad) % s) + s) % s; // dx index i = a·s + e holds phase r
    const qLo = (e + pad - r) / s; // the first dy index q of the phase: i + pad = q·s + r
    const before = t - 1 - qLo, after = n + qLo - outSize;
    if (before < 0 || after < 0) return null;
    phases.push({ r, e, before, after });
  }
  return phases;
}

/**
 * Below this many output channels (dx's), one convolution per phase is slower than one for all
 * phases: XNNPACK's products get too narrow (DCGAN's last layer, 64 → 1: 0.8 → 1.5 ms a call).
 */
const MIN_CHANNELS = 16;

export function phasesPlan(p: PhaseGeometry, oh: number, ow: number): { rows: Phase[]; cols: Phase[] } | null {
  if ((p.sh === 1 && p.sw === 1) || p.h % p.sh !== 0 || p.w % p.sw !== 0 || p.cin < MIN_CHANNELS) return null;
  const rows = phasesOf(p.h, oh, p.sh, p.th, p.top), cols = phasesOf(p.w, ow, p.sw, p.tw, p.left);
  return rows && cols ? { rows, cols } : null;
}

/**
 * The filter of the stride-1 convolution that computes `phases` ((rh, rw) pairs) side by side,
 * [th, tw, Cout, phases·Cin]: for phase j = (rh, rw),
 * G[u, v, co, j·Cin + ci] = W[(th−1−u)·sh + rh, (tw−1−v)·sw + rw, ci, co], 0 beyond the filter.
 * convInputGrad.ts passes all sh·sw phases (one convolution), backpropInputPhases one at a time.
 */
export function phaseFilter(
  backend: BackendWasmInternals, scope: KernelScope, filter: Info, p: PhaseGeometry,
  phases: ReadonlyArray<readonly [number, number]>,
): Info {
  const { th, tw, sh, sw, fh, fw, cin, cout } = p;
  const width = phases.length * cin;
  const slot = new Map(phases.map(([rh, rw], j) => [rh * sw + rw, j]));
  const g = scope.adopt(backend.makeOutput([th, tw, cout, width], "float32"));
  // Views after makeOutput, which may grow (and so detach) the heap.
  const gv = backend.typedArrayFromHeap(g) as Float32Array;
  const wv = backend.typedArrayFromHeap(filter) as Float32Array;
  gv.fill(0);
  for (let kh = 0; kh < fh; kh++) {
    const u = th - 1 - Math.floor(kh / sh), rh = kh % sh;
    for (let kw = 0; kw < fw; kw++) {
      const v = tw - 1 - Math.floor(kw / sw), j = slot.get(rh * sw + (kw % sw));
      if (j === undefined) continue;
      const gBase = (u * tw + v) * cout * width + j * cin;
      let wi = (kh * fw + kw) * cin * cout;
      for (let ci = 0; ci < cin; ci++) {
        for (let co = 0; co < cout; co++) gv[gBase + co * width + ci] = wv[wi++] as number;
      }
    }
  }
  return g;
}

export function backpropInputPhases(
  backend: BackendWasmInternals, dy: Info, filter: Info, p: PhaseGeometry,
  plan: { rows: Phase[]; cols: Phase[] },
): Info {
  return withKernelScope(backend, "wasm", (scope) => {
    const { batch, h, w, cin, sh, sw } = p;
    const a = h / sh, b = w / sw, block = batch * a * b * cin;
    // [sh, sw, N, a, b, Cin]: phase outputs side by side, slot (e_h, e_w) for dx's residues.
    const sides = scope.adopt(backend.makeOutput([sh, sw, batch, a, b, cin], "float32"));
    for (const ph of plan.rows) {
      for (const pw of plan.cols) {
        const g = phaseFilter(backend, scope, filter, p, [[ph.r, pw.r]]);
        const y = scope.run(tf.Conv2D, { x: dy, filter: g }, {
          strides: [1, 1], dilations: [1, 1], dataFormat: "NHWC",
          pad: [[0, 0], [ph.before, ph.after], [pw.before, pw.after], [0, 0]],
        });
        const [, yh, yw] = y.shape as Shape4;
        if (yh !== a || yw !== b) throw new Error(`phase convolution gave ${yh}×${yw}, expected ${a}×${b}`);
        const to = backend.typedArrayFromHeap(sides) as Float32Array;
        to.set(backend.typedArrayFromHeap(y) as Float32Array, (ph.e * sw + pw.e) * block);
      }
    }
    // → [N, a, sh, b, sw, Cin] = dx [N, h, w, Cin]
    const dx = scope.run(tf.Transpose, { x: sides }, { perm: [2, 3, 0, 4, 1, 5] });
    dx.shape = [batch, h, w, cin];
    return dx;
  });
}
