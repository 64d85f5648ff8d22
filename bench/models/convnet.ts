/**
 * The convnet: conv3×3(32)-relu-maxpool2 → conv3×3(64)-relu-maxpool2 → dense 128-relu → dense 10,
 * softmax cross-entropy, on a fixed batch of 64 28×28×1 images. Adam, lr 1e-3.
 */
import { Rng, tf } from "@course/lib";
import { adam, conv, dense, Params, rand, randint } from "./layers";
import type { BenchModel } from "./types";

const B = 64;

export function buildConvnet(rng: Rng): BenchModel {
  const p = new Params(rng);
  const c1 = conv(p, 3, 1, 32);
  const c2 = conv(p, 3, 32, 64);
  const d1 = dense(p, 7 * 7 * 64, 128);
  const d2 = dense(p, 128, 10);
  const x = rand(rng, [B, 28, 28, 1]);
  const y = tf.tidy(() => tf.oneHot(randint(rng, [B], 10) as tf.Tensor1D, 10));
  const opt = adam(1e-3);

  const loss = (): tf.Scalar => {
    let h = tf.maxPool(tf.relu(c1(x)), 2, 2, "valid");
    h = tf.maxPool(tf.relu(c2(h)), 2, 2, "valid");
    const logits = d2(tf.relu(d1(tf.reshape(h, [B, 7 * 7 * 64]))));
    return tf.losses.softmaxCrossEntropy(y, logits);
  };
  return {
    step: () => opt.minimize(loss, true, p.vars) as tf.Scalar,
    dispose: () => {
      opt.dispose();
      p.dispose();
      tf.dispose([x, y]);
    },
  };
}
