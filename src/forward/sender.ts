/**
 * Delivers pushes in order, one at a time, through the retry buffer (§23.3, with upstream's stalls fixed):
 *
 * - While the receiver answers, `send` waits while more than `IN_FLIGHT` pushes are queued, so a slow receiver slows
 *   the reading (the container's log on the node holds what is not read yet) instead of filling memory; the one
 *   push queued behind the one on the wire keeps the reading going meanwhile.
 * - A push that fails with a 5xx, a 429 or a transport error is retried after 1 s, 2 s, 4 s, … (capped at 30 s,
 *   Retry-After honoured); after LOGTAP_RETRY_MAX attempts the receiver counts as down.
 * - While it is down, `send` only appends to the buffer and returns at once, so reading goes on and the newest lines
 *   are kept, the oldest evicted (counted). The head push is retried at the capped backoff; the first success drains
 *   the buffer in order and the receiver counts as up again.
 * - A push refused with another 4xx is dropped (counted): upstream re-buffered it, where it blocked every later push.
 * - `shutdown` (SIGTERM) stops all waiting; `close` then gives what is left one bounded last chance and counts the
 *   rest as dropped.
 */

import { MAX_RETRY_MS, retryDelayMs } from "./backoff.ts";
import type { ForwarderMetrics } from "./forwarder-metrics.ts";
import type { PushBatch } from "./push-batch.ts";
import type { Pusher } from "./push-client.ts";
import { RetryBuffer } from "./retry-buffer.ts";

/**
 * Pushes queued while the receiver is up before a writer waits: the one on the wire and the next. With one, the
 * reading stopped for every round trip and the stream had to be resumed each time: saturated throughput fell from
 * ~13,000 to ~4,000 lines/s (docs/benchmarks.md, Forwarder).
 */
const IN_FLIGHT = 2;

/** How often a push is retried while the shutdown budget lasts: a refused connection fails at once. */
const SHUTDOWN_RETRY_MS = 500;

export interface SenderOptions {
  pusher: Pusher;
  /** LOGTAP_BUFFER_SIZE: estimated bytes the retry buffer may hold. */
  bufferBytes: number;
  /** LOGTAP_RETRY_MAX: attempts per push before the receiver counts as down. */
  retryMax: number;
  metrics: ForwarderMetrics;
  log: (line: string) => void;
  /** The wait before retry number n (0-based); upstream's schedule unless a test scales it. */
  delayMs?: (retry: number) => number;
}

export class Sender {
  readonly #o: SenderOptions;
  readonly #buffer: RetryBuffer;
  readonly #delay: (retry: number) => number;
  #down = false;
  #loop: Promise<void> | undefined;
  /** Cleared by the loop in the same step in which it finds the buffer empty, so a push added next starts a new one. */
  #running = false;
  /** Writers waiting while the receiver is up: released as pushes are settled, or all when it goes down. */
  #waiters: (() => void)[] = [];
  /** Ends a backoff wait early (close). */
  #wake: (() => void) | undefined;
  /** Set by shutdown(); aborted when its budget is spent, which stops the attempt on the wire. */
  #shutdown: AbortController | undefined;
  #budgetMs = 0;
  #budgetTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(o: SenderOptions) {
    this.#o = o;
    this.#buffer = new RetryBuffer(o.bufferBytes);
    this.#delay = o.delayMs ?? ((n) => retryDelayMs(n));
    o.metrics.bufferUsage.collect = () => this.#buffer.usageBytes;
    o.metrics.bufferLines.collect = () => this.#buffer.lines;
  }

  /** Whether the last attempts failed LOGTAP_RETRY_MAX times and the buffer is taking the pushes. */
  get receiverDown(): boolean {
    return this.#down;
  }

  /** Queues a push; resolves once it is delivered or dropped, or at once while the receiver is down. */
  send(batch: PushBatch): Promise<void> {
    const evicted = this.#buffer.add(batch);
    if (evicted.length > 0) {
      const lines = evicted.reduce((n, b) => n + b.lines, 0);
      this.#o.metrics.drops.inc("evicted", lines);
      this.#o.log(`retry buffer full (${this.#o.bufferBytes} bytes), evicted ${evicted.length} oldest batches (${lines} lines)`);
    }
    this.#ensureLoop();
    if (this.#down || this.#shutdown || this.#buffer.length <= IN_FLIGHT) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /**
   * Starts the shutdown (SIGTERM): from now on `send` never waits, waiting writers are released, backoff waits are
   * cut short, and attempts are aborted once `budgetMs` has passed. Later calls change nothing.
   */
  shutdown(budgetMs: number): void {
    if (this.#shutdown) return;
    const shutdown = (this.#shutdown = new AbortController());
    this.#budgetMs = budgetMs;
    this.#budgetTimer = setTimeout(() => shutdown.abort(), budgetMs);
    this.#wake?.();
    this.#releaseAll();
  }

  /** Pushes what is left within the shutdown budget, without backoff waits beyond it; the rest is dropped and counted. */
  async close(budgetMs: number): Promise<void> {
    this.shutdown(budgetMs);
    this.#ensureLoop();
    await this.#loop;
    clearTimeout(this.#budgetTimer);
    const left = this.#buffer.lines;
    if (left > 0) {
      while (this.#buffer.shift());
      this.#o.metrics.drops.inc("shutdown", left);
      this.#o.log(`shutdown: ${left} lines not delivered within ${this.#budgetMs / 1000}s`);
    }
  }

  #ensureLoop(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  #releaseAll(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  /**
   * A push left the queue: waiting writers go on, in order, while theirs is among the first IN_FLIGHT. (Theirs are
   * the last ones queued: while the receiver is up every later writer waits too.)
   */
  #settled(): void {
    while (this.#waiters.length > 0 && this.#buffer.length - this.#waiters.length < IN_FLIGHT) this.#waiters.shift()!();
  }

  async #run(): Promise<void> {
    const { pusher, metrics, log, retryMax } = this.#o;
    // The flag is cleared by the finally in the very step that finds the buffer empty, not a microtask later,
    // when a writer just settled may already have added the next push.
    try {
      let failures = 0;
      for (let head = this.#buffer.peek(); head; head = this.#buffer.peek()) {
        if (this.#shutdown?.signal.aborted) return;
        this.#buffer.headInFlight = true;
        const r = await pusher.push(head, this.#shutdown?.signal);
        this.#buffer.headInFlight = false;
        if (r.kind !== "retry") {
          this.#buffer.shift();
          failures = 0;
          if (r.kind === "ok") {
            metrics.linesPushed.inc(head.lines);
            metrics.pushes.inc();
            if (this.#down) {
              this.#down = false;
              log(`push succeeded, draining ${this.#buffer.length} buffered batches (${this.#buffer.lines} lines)`);
            }
          } else {
            metrics.drops.inc("rejected", head.lines);
            log(`push rejected, dropping ${head.lines} lines: ${r.error}`);
          }
          this.#settled();
          continue;
        }
        if (this.#shutdown?.signal.aborted) return;
        failures++;
        if (!this.#down && failures >= retryMax) {
          this.#down = true;
          log(`push error, buffering ${this.#buffer.lines} lines: ${r.error}`);
          this.#releaseAll();
        } else if (this.#down) {
          log(`drain retry failed, ${this.#buffer.length} batches re-buffered: ${r.error}`);
        }
        const wait = Math.min(MAX_RETRY_MS, r.retryAfterMs ?? this.#delay(failures - 1));
        if (!this.#down) log(`push attempt ${failures}/${retryMax} failed, retrying in ${formatSeconds(wait)}: ${r.error}`);
        metrics.retries.inc();
        await this.#sleep(wait);
      }
    } finally {
      this.#running = false;
    }
  }

  /** A backoff wait that close() cuts short: during a shutdown the head is retried every half second at most. */
  #sleep(ms: number): Promise<void> {
    const shutdown = this.#shutdown?.signal;
    if (shutdown?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        shutdown?.removeEventListener("abort", done);
        this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, shutdown ? Math.min(ms, SHUTDOWN_RETRY_MS) : ms);
      shutdown?.addEventListener("abort", done);
      this.#wake = done;
    });
  }
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))}s`;
}
