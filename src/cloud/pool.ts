/**
 * Runs `work` over `items` with at most `concurrency` at a time. The first failure stops new work, aborts the signal
 * the running items were given, waits for them to settle and is rethrown: no transfer is left running behind an error.
 */

export async function runPool<T>(items: readonly T[], concurrency: number, work: (item: T, signal: AbortSignal) => Promise<void>): Promise<void> {
  const abort = new AbortController();
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async () => {
    while (failure === undefined && next < items.length) {
      const item = items[next++]!;
      try {
        await work(item, abort.signal);
      } catch (e) {
        if (failure === undefined) {
          failure = { error: e };
          abort.abort();
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
  if (failure !== undefined) throw failure.error;
}
