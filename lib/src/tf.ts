/**
 * The one TensorFlow.js the course uses, with gradients and chained methods (`x.sum()`):
 * `import { tf } from "@course/lib"`. Importing @tensorflow/tfjs-core directly gives neither;
 * tf-gradients.ts explains why and registers both, here, when this module is first imported.
 */
import * as tf from "@tensorflow/tfjs-core";
import { ensureGradients } from "./tf-gradients";

try {
  ensureGradients();
} catch {
  // Importing the library must not fail for code that never trains; setup() reports it.
}

export { tf };
// Types of the chained methods that ensureGradients() installs. A type-only re-export, unlike an
// import, survives into tf.d.ts, so code that imports @course/lib type-checks x.sum() too.
export type * as TfChainedOps from
  "@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops";
