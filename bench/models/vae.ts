/**
 * The convolutional VAE on 28×28×1 images, batch 32, latent 16. Encoder: conv4×4/2 (32)-relu →
 * conv4×4/2 (64)-relu → dense to μ and log σ². Decoder: dense 7·7·64-relu → conv-transpose 4×4/2
 * (32)-relu → conv-transpose 4×4/2 (1) logits. Loss: Bernoulli reconstruction (summed over
 * pixels) + KL, averaged over the batch. The reparameterisation noise is part of the fixed batch.
 * Adam, lr 1e-3.
 */
import { Rng, tf } from "@course/lib";
import { adam, conv, convTranspose, dense, Params, rand, randn } from "./layers";
import type { BenchModel } from "./types";

const B = 32;
const LATENT = 16;

export function buildVae(rng: Rng): BenchModel {
  const p = new Params(rng);
  const e1 = conv(p, 4, 1, 32, 2);
  const e2 = conv(p, 4, 32, 64, 2);
  const stats = dense(p, 7 * 7 * 64, 2 * LATENT);
  const d0 = dense(p, LATENT, 7 * 7 * 64);
  const d1 = convTranspose(p, 4, 64, 32);
  const d2 = convTranspose(p, 4, 32, 1);
  const x = rand(rng, [B, 28, 28, 1]);
  const eps = randn(rng, [B, LATENT]);
  const opt = adam(1e-3);

  const loss = (): tf.Scalar => {
    const h = tf.relu(e2(tf.relu(e1(x))));
    const [mu, logVar] = tf.split(stats(tf.reshape(h, [B, 7 * 7 * 64])), 2, 1) as [
      tf.Tensor, tf.Tensor,
    ];
    const z = tf.add(mu, tf.mul(tf.exp(tf.mul(logVar, 0.5)), eps));
    const g = tf.reshape(tf.relu(d0(z)), [B, 7, 7, 64]);
    const logits = d2(tf.relu(d1(g)));
    const recon = tf.mul(tf.losses.sigmoidCrossEntropy(x, logits), 28 * 28);
    const klTerms = tf.sub(tf.add(1, logVar), tf.add(tf.square(mu), tf.exp(logVar)));
    const kl = tf.mul(tf.sum(klTerms), -0.5 / B);
    return tf.add(recon, kl) as tf.Scalar;
  };
  return {
    step: () => opt.minimize(loss, true, p.vars) as tf.Scalar,
    dispose: () => {
      opt.dispose();
      p.dispose();
      tf.dispose([x, eps]);
    },
  };
}
