/** Polls for something a test can observe instead of sleeping a fixed time for it. */

/**
 * Resolves once `predicate` returns true (it may be async), checking every `everyMs`; throws naming `what` when
 * `deadlineMs` passes first. A predicate that throws counts as "not yet" (e.g. a file still being written).
 */
export async function waitFor(predicate: () => boolean | Promise<boolean>, deadlineMs = 10_000, what = "condition", everyMs = 10): Promise<void> {
  const end = Date.now() + deadlineMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await predicate()) return;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() >= end) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : "";
      throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}${why}`);
    }
    await Bun.sleep(everyMs);
  }
}
