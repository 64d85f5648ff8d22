/**
 * A counting n-gram model of a token stream, the baseline lesson 09's networks must beat:
 * P(w | h) with h the n − 1 previous tokens, interpolated with the (n − 1)-gram by Witten–Bell
 * smoothing (Witten & Bell, 1991; Chen & Goodman, 1998, eq. 15):
 *
 *   P(w | h) = (c(h, w) + T(h) · P(w | h')) / (c(h) + T(h))
 *
 * where h' drops the oldest token of h, c counts occurrences in the training stream and T(h) is
 * the number of different tokens seen after h. The order-0 model is uniform over V.
 */
import { CourseError } from "../errors";
import type { Rng } from "../random";
import { sampleToken, type SampleOptions } from "../lm/sample";

/** Counts of one context: how often it occurred, how many different next tokens, and each next token's count. */
interface ContextCounts {
  total: number;
  next: Map<number, number>;
}

const keyOf = (tokens: ArrayLike<number>, from: number, to: number): string => {
  let s = "";
  for (let i = from; i < to; i++) s += String.fromCharCode(tokens[i] as number);
  return s;
};

export class NGramLM {
  /** counts[k]: contexts of k tokens (k = 0 … n − 1). */
  private readonly counts: Map<string, ContextCounts>[];

  /** The order used to predict (≤ n): counts of every lower order are kept, so one fit serves all. */
  order: number;

  /** n: the longest n-gram counted (context n − 1 tokens). */
  constructor(readonly n: number, readonly vocabSize: number) {
    if (!Number.isInteger(n) || n < 1) throw new CourseError(`An n-gram needs n ≥ 1, got ${n}.`);
    this.counts = Array.from({ length: n }, () => new Map());
    this.order = n;
  }

  /**
   * Predict with the order (2 … n) that scores best on `pieces` (each scored from token `from` on,
   * as `nll` does); returns each order's NLL.
   */
  chooseOrder(pieces: readonly ArrayLike<number>[], from = 1): Record<number, number> {
    const scores: Record<number, number> = {};
    const count = pieces.reduce((n, p) => n + Math.max(0, p.length - from), 0);
    for (let k = 2; k <= this.n; k++) {
      this.order = k;
      scores[k] = pieces.reduce((s, p) => s + this.nll(p, from) * Math.max(0, p.length - from), 0) / count;
    }
    this.order = Number(Object.entries(scores).sort((a, b) => a[1] - b[1])[0]![0]);
    return scores;
  }

  /** Count every position of `tokens` as a next token after each of its 0 … n − 1 previous tokens. */
  fit(tokens: ArrayLike<number>): this {
    for (let i = 0; i < tokens.length; i++) {
      const w = tokens[i] as number;
      for (let k = 0; k < this.n && k <= i; k++) {
        const key = keyOf(tokens, i - k, i);
        const map = this.counts[k]!;
        let c = map.get(key);
        if (!c) { c = { total: 0, next: new Map() }; map.set(key, c); }
        c.total++;
        c.next.set(w, (c.next.get(w) ?? 0) + 1);
      }
    }
    return this;
  }

  /** P(w | the last n − 1 tokens of `context`), interpolated down to the uniform distribution. */
  prob(context: ArrayLike<number>, w: number): number {
    let p = 1 / this.vocabSize;
    const end = context.length;
    for (let k = 0; k < this.order && k <= end; k++) {
      const c = this.counts[k]!.get(keyOf(context, end - k, end));
      if (!c) break; // a longer context that never occurred adds nothing either
      const types = c.next.size;
      p = ((c.next.get(w) ?? 0) + types * p) / (c.total + types);
    }
    return p;
  }

  /** The whole next-token distribution after `context`: the recursion above for every w at once.  → [V] */
  probs(context: ArrayLike<number>): Float64Array {
    const p = new Float64Array(this.vocabSize).fill(1 / this.vocabSize);
    const end = context.length;
    for (let k = 0; k < this.order && k <= end; k++) {
      const c = this.counts[k]!.get(keyOf(context, end - k, end));
      if (!c) break;
      const types = c.next.size, denom = c.total + types;
      for (let w = 0; w < p.length; w++) p[w] = (types * p[w]!) / denom;
      for (const [w, n] of c.next) p[w]! += n / denom;
    }
    return p;
  }

  /** Mean NLL (nats per token) of predicting tokens[from …] from the tokens before them (0 if none). */
  nll(tokens: ArrayLike<number>, from = 1): number {
    let total = 0;
    if (tokens.length <= from) return 0;
    for (let i = Math.max(1, from); i < tokens.length; i++) {
      const from = Math.max(0, i - this.order + 1);
      total -= Math.log(this.prob(Array.prototype.slice.call(tokens, from, i) as number[], tokens[i] as number));
    }
    return total / (tokens.length - Math.max(1, from));
  }

  /** Draw one next token (temperature, top-k, top-p as for the networks). */
  sample(context: readonly number[], rng: Rng, options: SampleOptions = {}): number {
    return sampleToken(Array.from(this.probs(context), Math.log), rng, options);
  }
}
