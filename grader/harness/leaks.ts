/**
 * Tensor leaks counted around each call of the learner's exported functions, not around the whole
 * probe: a probe that wraps the call in `tf.tidy` would otherwise clean up what the call left
 * behind before anyone counted it. A call's leak is the tensors alive after it returned that were
 * not alive before, minus the new tensors it returned and the variables it created. Calls made
 * while a gradient tape records are left to the probe's own count.
 */
import { liveTensors } from "./serialise.ts";
import type { TfCore } from "./child-setup.ts";

interface Counted {
  id: number;
}

export interface LeakCounter {
  /** Run one call of a learner function and count what it leaves alive (sync or async). */
  around<T>(call: () => T): T;
  /** Tensors left alive by the learner's calls so far. */
  total(): number;
}

export function countLeaks(tf: TfCore): LeakCounter {
  const engine = tf.engine() as unknown as {
    nextTensorId(): number;
    state: { registeredVariables: Record<string, Counted>; gradientDepth: number };
  };
  let total = 0;
  let depth = 0;
  const settle = (mark: number, before: number, result: unknown): void => {
    const fresh = new Set<number>();
    for (const t of liveTensors(result)) if ((t as unknown as Counted).id > mark) fresh.add((t as unknown as Counted).id);
    for (const v of Object.values(engine.state.registeredVariables)) if (v.id > mark) fresh.add(v.id);
    total += Math.max(0, tf.memory().numTensors - before - fresh.size);
  };
  return {
    around<T>(call: () => T): T {
      // Inside tf.grad(s) or an optimizer's minimize, the tape keeps the call's intermediates
      // until the gradients are taken: the probe's own count covers such calls.
      if (depth > 0 || engine.state.gradientDepth > 0) return call();
      const mark = engine.nextTensorId();
      const before = tf.memory().numTensors;
      depth++;
      let result: T;
      try {
        result = call();
      } finally {
        depth--;
      }
      if (result instanceof Promise) {
        depth++;
        return result.then(
          (value: unknown) => { depth--; settle(mark, before, value); return value; },
          (err: unknown) => { depth--; throw err; },
        ) as T;
      }
      settle(mark, before, result);
      return result;
    },
    total: () => total,
  };
}
