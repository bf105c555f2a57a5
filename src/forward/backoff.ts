/** Upstream's retry delays (§23.3): 1 s before the first retry, doubling, capped at 30 s. */

export const FIRST_RETRY_MS = 1_000;
export const MAX_RETRY_MS = 30_000;

/** The wait before retry number `retry` (0-based). */
export function retryDelayMs(retry: number, first = FIRST_RETRY_MS, max = MAX_RETRY_MS): number {
  return Math.min(max, first * 2 ** Math.min(retry, 30));
}
