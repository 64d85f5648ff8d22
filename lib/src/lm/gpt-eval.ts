/** Exact scoring of a windowed language model (lesson 05's GPT) on running text. */
import { CourseError } from "../errors";
import { tf } from "../tf";
import { crossEntropy } from "./loss";
import type { LanguageModel } from "./model";

/**
 * Exact mean NLL (nats per token) over the first `windows` consecutive, non-overlapping windows
 * of `tokens`: window i reads tokens[i·T … i·T + T − 1] (T = model.blockSize) and predicts each
 * next token, so all windows · T predictions are scored, position j of a window from j + 1
 * characters of context. Throws when the text is too short.
 */
export async function windowNll(model: LanguageModel, tokens: Int32Array, windows: number, batchSize = 32): Promise<number> {
  const T = model.blockSize;
  if (windows * T + 1 > tokens.length) throw new CourseError(`windowNll(): ${windows} windows of ${T} need ${windows * T + 1} tokens, got ${tokens.length}.`);
  let total = 0;
  for (let w0 = 0; w0 < windows; w0 += batchSize) {
    const B = Math.min(batchSize, windows - w0);
    const x = tokens.slice(w0 * T, (w0 + B) * T), y = tokens.slice(w0 * T + 1, (w0 + B) * T + 1);
    const loss = tf.tidy(() => crossEntropy(model.logits(tf.tensor2d(x, [B, T], "int32")), tf.tensor2d(y, [B, T], "int32")));
    total += ((await loss.data())[0] as number) * B;
    loss.dispose();
  }
  return total / windows;
}
