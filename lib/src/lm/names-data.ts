/**
 * Words as rows for language models (makemore's CharDataset). A word c₁…cₙ becomes one row
 *
 *   x = [0, c₁, …, cₙ, 0, …, 0]      the boundary token 0 starts it
 *   y = [c₁, …, cₙ, 0, −1, …, −1]    each next token, then the end, then padding (ignored)
 *
 * Rows rather than one context window per character, because every LanguageModel takes [B, T]
 * and predicts at every position: the same batches then train the MLP (which builds its windows
 * inside `logits`), a recurrent net and a transformer, and a batch is a batch of whole words, as
 * in makemore. Batches are cropped to their longest word, so padding costs little.
 */
import { CourseError } from "../errors";
import type { Rng } from "../random";
import { tf } from "../tf";
import type { CharVocab } from "../text/vocab";
import type { LanguageModel } from "./model";
import { lmLoss } from "./loss";
import type { Batch, BatchSource } from "./train";

/** A list of words as [N, T] rows of token ids, with seeded batches and exact evaluation. */
export class WordDataset {
  /** Inputs and targets, row after row.  [N, T] */
  readonly x: Int32Array;
  readonly y: Int32Array;
  /** Targets in each row: the word's length + 1 (its end). */
  readonly targets: Int32Array;
  /** T: the longest word + 1, unless given. */
  readonly rowLength: number;

  constructor(readonly words: readonly string[], readonly vocab: CharVocab, rowLength?: number) {
    if (words.length === 0) throw new CourseError("WordDataset needs at least one word.");
    const longest = Math.max(...words.map((w) => [...w].length));
    this.rowLength = rowLength ?? longest + 1;
    if (longest + 1 > this.rowLength) {
      throw new CourseError(`A word of ${longest} characters needs rows of ${longest + 1} tokens; rowLength is ${this.rowLength}.`);
    }
    const T = this.rowLength;
    this.x = new Int32Array(words.length * T);
    this.y = new Int32Array(words.length * T).fill(-1);
    this.targets = new Int32Array(words.length);
    words.forEach((w, i) => {
      const ids = vocab.encode(w);
      this.x.set(ids, i * T + 1); // x[i, 0] = 0 is the start
      this.y.set([...ids, 0], i * T);
      this.targets[i] = ids.length + 1;
    });
  }

  /** Number of rows (N). */
  get size(): number {
    return this.words.length;
  }

  /** Number of predicted tokens in all rows (padding excluded). */
  get tokenCount(): number {
    return this.targets.reduce((s, n) => s + n, 0);
  }

  /** The given rows as a batch, cropped to the longest of them.  → x, y: [rows, T'] int32 */
  rows(indices: readonly number[]): Batch {
    if (indices.length === 0) throw new CourseError("WordDataset.rows() needs at least one row index.");
    const T = this.rowLength;
    const width = Math.max(...indices.map((i) => this.targets[i] as number));
    const x = new Int32Array(indices.length * width), y = new Int32Array(indices.length * width);
    indices.forEach((i, b) => {
      x.set(this.x.subarray(i * T, i * T + width), b * width);
      y.set(this.y.subarray(i * T, i * T + width), b * width);
    });
    return { x: tf.tensor2d(x, [indices.length, width], "int32"), y: tf.tensor2d(y, [indices.length, width], "int32") };
  }

  /** B rows drawn uniformly with replacement (makemore's sampler).  → x, y: [B, T'] */
  sample(batchSize: number, rng: Rng): Batch {
    return this.rows(Array.from({ length: batchSize }, () => rng.int(this.size)));
  }

  /** Every row once, in order, `batchSize` rows at a time: for exact evaluation. */
  *batches(batchSize: number): Generator<{ batch: Batch; tokens: number }> {
    for (let start = 0; start < this.size; start += batchSize) {
      const indices = Array.from({ length: Math.min(batchSize, this.size - start) }, (_, k) => start + k);
      yield { batch: this.rows(indices), tokens: indices.reduce((s, i) => s + (this.targets[i] as number), 0) };
    }
  }
}

/** A BatchSource for `trainLM`: seeded random batches of B words from each split. */
export function wordBatches(train: WordDataset, val: WordDataset, batchSize: number, rng: Rng): BatchSource {
  return (split) => (split === "train" ? train : val).sample(batchSize, rng);
}

/**
 * The exact mean NLL (nats per predicted token) of a model over every word of a dataset — the
 * number lesson 01's meanNll computes for the bigram table, and makemore reports.
 */
export async function datasetNll(model: LanguageModel, data: WordDataset, batchSize = 512): Promise<number> {
  let total = 0;
  for (const { batch, tokens } of data.batches(batchSize)) {
    const loss = lmLoss(model, batch.x, batch.y);
    total += ((await loss.data())[0] as number) * tokens;
    tf.dispose([batch.x, batch.y, loss]);
  }
  return total / data.tokenCount;
}
