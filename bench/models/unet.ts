/**
 * The DDPM U-Net on 28×28×1 images, batch 16, 1000 noise levels (linear β 1e-4…0.02).
 * Time embedding: sinusoidal (32) → dense 128 → SiLU → dense 128, added (through a dense per
 * block) inside every residual block. Residual block: GroupNorm(8)-SiLU-conv3×3 → + time →
 * GroupNorm(8)-SiLU-conv3×3, plus the input (1×1 conv when the channels change).
 *   conv3×3 1→32 · res 32 @28 · down conv4×4/2 → res 32→64 @14 · down conv4×4/2 → res 64 @7
 *   · up conv-transpose 4×4/2 (64) ‖ skip 64 → res 128→64 @14 · up conv-transpose 4×4/2 (32)
 *   ‖ skip 32 → res 64→32 @28 · GroupNorm-SiLU-conv3×3 32→1.
 * The step noises the fixed clean batch at fixed timesteps with fixed noise
 * (x_t = √ᾱ_t·x₀ + √(1−ᾱ_t)·ε) and regresses ε (mean squared error). Adam, lr 1e-3.
 */
import { Rng, groupNormSilu as libGroupNormSilu, tf } from "@course/lib";
import { adam, conv, convTranspose, dense, Params, rand, randint, randn, silu } from "./layers";
import type { BenchModel } from "./types";

const B = 16;
const STEPS = 1000;
const TIME_FEATURES = 32;
const TIME_DIM = 128;
const GROUPS = 8;

type Res = (x: tf.Tensor, time: tf.Tensor) => tf.Tensor;

/** silu(groupNorm(x)): one kernel each way on wasm with the speed work on (the library's groupNormSilu). */
function groupNormSilu(p: Params, groups: number, c: number): (x: tf.Tensor) => tf.Tensor {
  const f = libGroupNormSilu(p.lib, p.next("gn"), groups, c);
  return (x) => f(x as tf.Tensor4D);
}

function resBlock(p: Params, cin: number, cout: number): Res {
  const n1 = groupNormSilu(p, GROUPS, cin);
  const c1 = conv(p, 3, cin, cout);
  const t = dense(p, TIME_DIM, cout);
  const n2 = groupNormSilu(p, GROUPS, cout);
  const c2 = conv(p, 3, cout, cout);
  const skip = cin === cout ? null : conv(p, 1, cin, cout);
  return (x, time) => {
    const h1 = tf.add(c1(n1(x)), tf.reshape(t(time), [B, 1, 1, cout]));
    const h2 = c2(n2(h1));
    return tf.add(h2, skip ? skip(x) : x);
  };
}

/** [B] timesteps → [B, TIME_FEATURES] sin/cos features (as in the DDPM paper's embedding). */
function timeFeatures(t: tf.Tensor): tf.Tensor {
  const half = TIME_FEATURES / 2;
  const freqs = Array.from({ length: half }, (_, i) => Math.exp((-Math.log(10000) * i) / half));
  const angles = tf.mul(tf.reshape(tf.cast(t, "float32"), [B, 1]), tf.tensor2d(freqs, [1, half]));
  return tf.concat([tf.sin(angles), tf.cos(angles)], 1);
}

export function buildUnet(rng: Rng): BenchModel {
  const p = new Params(rng);
  const t1 = dense(p, TIME_FEATURES, TIME_DIM);
  const t2 = dense(p, TIME_DIM, TIME_DIM);
  const inConv = conv(p, 3, 1, 32);
  const r1 = resBlock(p, 32, 32);
  const down1 = conv(p, 4, 32, 32, 2);
  const r2 = resBlock(p, 32, 64);
  const down2 = conv(p, 4, 64, 64, 2);
  const mid = resBlock(p, 64, 64);
  const up2 = convTranspose(p, 4, 64, 64);
  const r3 = resBlock(p, 128, 64);
  const up1 = convTranspose(p, 4, 64, 32);
  const r4 = resBlock(p, 64, 32);
  const outNorm = groupNormSilu(p, GROUPS, 32);
  const outConv = conv(p, 3, 32, 1);

  const betas = Array.from({ length: STEPS }, (_, i) => 1e-4 + ((0.02 - 1e-4) * i) / (STEPS - 1));
  const alphaBar: number[] = [];
  betas.reduce((prod, beta) => {
    const next = prod * (1 - beta);
    alphaBar.push(next);
    return next;
  }, 1);
  const sqrtAb = tf.tensor1d(alphaBar.map(Math.sqrt));
  const sqrt1mAb = tf.tensor1d(alphaBar.map((a) => Math.sqrt(1 - a)));
  const x0 = rand(rng, [B, 28, 28, 1], -1, 1);
  const noise = randn(rng, [B, 28, 28, 1]);
  const t = randint(rng, [B], STEPS);
  const opt = adam(1e-3);

  const loss = (): tf.Scalar => {
    const a = tf.reshape(tf.gather(sqrtAb, t), [B, 1, 1, 1]);
    const s = tf.reshape(tf.gather(sqrt1mAb, t), [B, 1, 1, 1]);
    const xt = tf.add(tf.mul(a, x0), tf.mul(s, noise));
    const time = silu(t2(silu(t1(timeFeatures(t)))));
    const h1 = r1(inConv(xt), time); // 28×28×32
    const h2 = r2(down1(h1), time); // 14×14×64
    const h3 = mid(down2(h2), time); // 7×7×64
    const u2 = r3(tf.concat([up2(h3), h2], 3), time); // 14×14×64
    const u1 = r4(tf.concat([up1(u2), h1], 3), time); // 28×28×32
    const eps = outConv(outNorm(u1));
    return tf.losses.meanSquaredError(noise, eps);
  };
  return {
    step: () => opt.minimize(loss, true, p.vars) as tf.Scalar,
    dispose: () => {
      opt.dispose();
      p.dispose();
      tf.dispose([sqrtAb, sqrt1mAb, x0, noise, t]);
    },
  };
}
