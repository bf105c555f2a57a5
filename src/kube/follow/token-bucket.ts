/**
 * Client-side rate limiting of the follower's API requests (stream opens, resumes, lists, watches), as client-go's
 * token bucket does: `burst` requests at once, then `qps` per second; waiters are served in order. Long-running log
 * streams do not count against the API server's max-inflight or priority-and-fairness limits, but each open costs
 * an API-server→kubelet connection, and after an outage hundreds of streams would otherwise reconnect at once.
 */

export class TokenBucket {
  #tokens: number;
  #at = performance.now();

  constructor(
    readonly qps: number,
    readonly burst: number,
  ) {
    this.#tokens = burst;
  }

  /** Resolves when the caller may send its request; rejects with the signal's reason if it aborts first. */
  take(signal?: AbortSignal): Promise<void> {
    const now = performance.now();
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#at) / 1000) * this.qps);
    this.#at = now;
    // Reserve now (the balance may go negative): later callers queue behind, each at its own time.
    this.#tokens -= 1;
    if (this.#tokens >= 0) return Promise.resolve();
    const waitMs = (-this.#tokens / this.qps) * 1000;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, waitMs);
      const onAbort = () => {
        clearTimeout(timer);
        // The reservation is given back, so an abandoned wait does not delay the others' turns for nothing.
        this.#tokens += 1;
        reject(signal!.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }
}
