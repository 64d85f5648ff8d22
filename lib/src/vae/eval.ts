/**
 * Measuring a trained VAE: the ELBO on MNIST's test images, and the latent means of images (for
 * the scatter plot of a 2-D latent space).
 */
import type { Mnist } from "../data/mnist";
import { CourseError } from "../errors";
import { mnistTensor } from "../eval/classifier";
import { Rng } from "../random";
import { tf } from "../tf";
import { elboTerms, latentNoise } from "./loss";
import type { ConvVae } from "./model";

export interface ElboReport {
  /** Images scored. */
  count: number;
  /** Mean −ELBO, nats per image: an upper bound on −log p(x) (lower is better). */
  negElbo: number;
  /** Mean −log p(x | z), the reconstruction term (nats per image). */
  reconstruction: number;
  /** Mean KL(q(z | x) ‖ N(0, I)) (nats per image). */
  kl: number;
}

/**
 * The ELBO of the first `count` images of `data` (default all: 10,000 for the test split), each
 * with one draw of ε from Rng(seed), in batches. Bernoulli likelihood on grey levels in [0, 1].
 */
export function elboOf(model: ConvVae, data: Mnist, options: { count?: number; seed?: number; batchSize?: number } = {}): ElboReport {
  const count = options.count ?? data.count, batchSize = options.batchSize ?? 500;
  if (!(Number.isInteger(count) && count >= 1 && count <= data.count)) {
    throw new CourseError(`elboOf(): count must be 1…${data.count}, got ${count}.`);
  }
  const rng = new Rng(options.seed ?? 0), Z = model.config.latentSize;
  let logLik = 0, kl = 0;
  for (let start = 0; start < count; start += batchSize) {
    const size = Math.min(batchSize, count - start);
    const sums = tf.tidy(() => {
      const x = mnistTensor(data, start, size); //                              [b, 28, 28, 1]
      const terms = elboTerms(model, x, latentNoise(rng, size, Z));
      return tf.stack([tf.sum(terms.logLikelihood), tf.sum(terms.kl)]); //      [2]
    });
    const [l, k] = sums.dataSync();
    sums.dispose();
    logLik += l!;
    kl += k!;
  }
  return { count, negElbo: (kl - logLik) / count, reconstruction: -logLik / count, kl: kl / count };
}

/** μ of q(z | x) for the first `count` images of `data`, with their digit labels. */
export function latentMeans(model: ConvVae, data: Mnist, count = data.count, batchSize = 500): { mu: number[][]; labels: number[] } {
  if (!(Number.isInteger(count) && count >= 1 && count <= data.count)) {
    throw new CourseError(`latentMeans(): count must be 1…${data.count}, got ${count}.`);
  }
  const mu: number[][] = [];
  for (let start = 0; start < count; start += batchSize) {
    const size = Math.min(batchSize, count - start);
    const m = tf.tidy(() => model.encode(mnistTensor(data, start, size)).mu); // [b, Z]
    mu.push(...(m.arraySync() as number[][]));
    m.dispose();
  }
  return { mu, labels: Array.from(data.labels.subarray(0, count)) };
}
