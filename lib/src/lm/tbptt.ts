/**
 * Truncated backpropagation through time (TBPTT), for recurrent models such as LstmLM.
 *
 * The text is read by B parallel streams, evenly spaced through it; batch k holds the k-th run of
 * T characters of every stream, so row b of batch k + 1 continues row b of batch k exactly.
 * `TbpttLM` wraps the model for `trainLM`: each call starts from the state the previous batch of
 * the same split ended in. That state is a constant to the new batch's gradient, so the memory
 * reaches back across batches while backpropagation stops at T steps.
 */
import { CourseError } from "../errors";
import type { Params } from "../nn/params";
import { tf } from "../tf";
import type { LstmLM } from "./lstm";
import type { LstmState } from "./lstm-layers";
import type { LanguageModel } from "./model";
import type { Batch, BatchSource } from "./train";

/** B streams over a token sequence read as a ring, each batch the next T tokens of every stream. */
export class TbpttStreams {
  /** Tokens between the starts of neighbouring streams: floor(n / B). */
  readonly spacing: number;
  /** Batches handed out so far. */
  step = 0;

  constructor(readonly tokens: Int32Array, readonly batchSize: number, readonly blockSize: number) {
    if (!(Number.isInteger(batchSize) && batchSize >= 1 && Number.isInteger(blockSize) && blockSize >= 1)) {
      throw new CourseError(`TbpttStreams needs integer batchSize, blockSize ≥ 1, got ${batchSize} and ${blockSize}.`);
    }
    if (tokens.length < batchSize * (blockSize + 1)) {
      throw new CourseError(`${tokens.length} tokens are too few for ${batchSize} streams of blockSize + 1 = ${blockSize + 1}.`);
    }
    this.spacing = Math.floor(tokens.length / batchSize);
  }

  /**
   * Batch number `step`: x[b, j] = tokens[(b·spacing + step·T + j) mod n], y the token after
   * each. After `spacing` tokens a stream has reached where the next one started, so the streams
   * never jump except where the ring closes (the text's end runs into its start).  → x, y: [B, T]
   */
  batchAt(step: number): Batch {
    const { tokens, batchSize: B, blockSize: T } = this;
    const n = tokens.length;
    const x = new Int32Array(B * T), y = new Int32Array(B * T);
    for (let b = 0; b < B; b++) {
      const start = (b * this.spacing + ((step * T) % n)) % n;
      for (let j = 0; j < T; j++) {
        x[b * T + j] = tokens[(start + j) % n] as number;
        y[b * T + j] = tokens[(start + j + 1) % n] as number;
      }
    }
    return { x: tf.tensor2d(x, [B, T], "int32"), y: tf.tensor2d(y, [B, T], "int32") };
  }

  /** The next batch; the following call continues every row where this one stops. */
  next(): Batch {
    return this.batchAt(this.step++);
  }
}

/** A BatchSource for trainLM: consecutive batches of the training streams and of the validation streams. */
export function tbpttBatches(train: TbpttStreams, val: TbpttStreams): BatchSource {
  return (split) => (split === "train" ? train : val).next();
}

/**
 * An LstmLM whose `logits` carries the state from call to call — one state for training calls
 * (`{ training: true }`, as trainLM's steps make them) and one for the others (its validation).
 * Use it with tbpttBatches; sample and score with the LstmLM itself. `reset()` forgets both.
 */
export class TbpttLM implements LanguageModel {
  readonly name: string;
  readonly blockSize: number;
  readonly vocabSize: number;
  /** The wrapped model's store and variables. */
  readonly store: Params;
  readonly variables: readonly tf.Variable[];
  private readonly states = new Map<"train" | "val", LstmState>();
  /** States still read by the gradient of the latest step; freed on the next call. */
  private stale: LstmState[] = [];

  constructor(readonly model: LstmLM) {
    this.name = `${model.name} (TBPTT)`;
    this.blockSize = model.blockSize;
    this.vocabSize = model.vocabSize;
    this.store = model.store;
    this.variables = model.variables;
  }

  /** Logits of the batch, continuing the split's streams from where its previous batch ended.  [B, T] → [B, T, V] */
  logits(idx: tf.Tensor2D, options: { training?: boolean } = {}): tf.Tensor3D {
    tf.dispose(this.stale.flatMap((s) => [s.h, s.c]));
    this.stale = [];
    const key = options.training ? "train" : "val";
    let start = this.states.get(key);
    if (start && start.h.shape[0] !== idx.shape[0]) { // another batch size: other streams
      this.stale.push(start);
      start = undefined;
    }
    const { logits, state } = this.model.run(idx, start);
    if (start) this.stale.push(start); // the backward pass of this step still reads it
    // Kept out of the caller's tidy: the next batch starts from it.
    this.states.set(key, { h: tf.keep(state.h), c: tf.keep(state.c) });
    return logits;
  }

  /** Forget the carried states: the next batches start from zeros. */
  reset(): void {
    tf.dispose([...this.states.values(), ...this.stale].flatMap((s) => [s.h, s.c]));
    this.states.clear();
    this.stale = [];
  }

  /** Free the carried states (the wrapped model keeps its parameters). */
  dispose(): void {
    this.reset();
  }
}
