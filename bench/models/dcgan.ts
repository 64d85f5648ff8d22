/**
 * The DCGAN for 28×28×1 images, batch 32, one discriminator step then one generator step.
 * G: z 100 → dense 7·7·128 → BN-relu → conv-transpose 4×4/2 (64) → BN-relu → conv-transpose
 *    4×4/2 (1) → tanh.
 * D: conv4×4/2 (64) → leaky relu 0.2 → conv4×4/2 (128) → BN → leaky relu → dense 1 (logit).
 * Layers followed by batch norm have no bias. Binary cross-entropy on logits; D sees the real and
 * the fake batch separately. The D step generates the fakes outside the gradient tape (PyTorch's
 * `no_grad`); the G step generates them again. Two Adams, lr 2e-4, β1 0.5; z is fixed.
 */
import { Rng, tf } from "@course/lib";
import { adam, batchNorm, conv, convTranspose, dense, Params, rand, randn } from "./layers";
import type { BenchModel } from "./types";

const B = 32;
const Z = 100;

function generator(p: Params): (z: tf.Tensor) => tf.Tensor {
  const fc = dense(p, Z, 7 * 7 * 128, false);
  const bn0 = batchNorm(p, 128);
  const up1 = convTranspose(p, 4, 128, 64, 2, false);
  const bn1 = batchNorm(p, 64);
  const up2 = convTranspose(p, 4, 64, 1, 2);
  return (z) => {
    const h0 = tf.relu(bn0(tf.reshape(fc(z), [B, 7, 7, 128])));
    return tf.tanh(up2(tf.relu(bn1(up1(h0)))));
  };
}

function discriminator(p: Params): (x: tf.Tensor) => tf.Tensor {
  const c1 = conv(p, 4, 1, 64, 2);
  const c2 = conv(p, 4, 64, 128, 2, false);
  const bn = batchNorm(p, 128);
  const fc = dense(p, 7 * 7 * 128, 1);
  return (x) => {
    const h = tf.leakyRelu(bn(c2(tf.leakyRelu(c1(x), 0.2))), 0.2);
    return fc(tf.reshape(h, [B, 7 * 7 * 128]));
  };
}

export function buildDcgan(rng: Rng): BenchModel {
  const pg = new Params(rng);
  const pd = new Params(rng);
  const g = generator(pg);
  const d = discriminator(pd);
  const real = rand(rng, [B, 28, 28, 1], -1, 1);
  const z = randn(rng, [B, Z]);
  const ones = tf.ones([B, 1]);
  const zeros = tf.zeros([B, 1]);
  const optD = adam(2e-4, 0.5);
  const optG = adam(2e-4, 0.5);

  const dStep = (): tf.Scalar => {
    const fake = tf.tidy(() => g(z));
    const loss = optD.minimize(
      () => tf.add(
        tf.losses.sigmoidCrossEntropy(ones, d(real)),
        tf.losses.sigmoidCrossEntropy(zeros, d(fake)),
      ) as tf.Scalar,
      true,
      pd.vars,
    ) as tf.Scalar;
    fake.dispose();
    return loss;
  };
  const gStep = (): tf.Scalar =>
    optG.minimize(() => tf.losses.sigmoidCrossEntropy(ones, d(g(z))), true, pg.vars) as tf.Scalar;

  return {
    step: () => {
      const dLoss = dStep();
      const gLoss = gStep();
      const both = tf.stack([dLoss, gLoss]);
      tf.dispose([dLoss, gLoss]);
      return both;
    },
    guards: [
      { name: "D", step: dStep },
      { name: "G", step: gStep },
    ],
    dispose: () => {
      optD.dispose();
      optG.dispose();
      pg.dispose();
      pd.dispose();
      tf.dispose([real, z, ones, zeros]);
    },
  };
}
