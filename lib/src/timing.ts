/** Timing for notebooks and quality runs (benchmarks proper live in the bench command). */

/**
 * Median wall-clock milliseconds of `fn` over `repeats` runs after `warmup` runs. `fn` must wait
 * for its own result (read it back, or await `data()`), or the time measures only the dispatch.
 */
export async function medianMs(fn: () => unknown | Promise<unknown>, repeats = 10, warmup = 2): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

/**
 * Let Node's event loop run once (pending I/O, timers). Training loops call it after each
 * progress report: a notebook's display update must go out before the next one is sent.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
