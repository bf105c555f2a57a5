/**
 * The retry buffer (§23.3): a FIFO of pushes bounded by their estimated bytes. Adding beyond the capacity evicts the
 * oldest pushes — the newest lines are the ones worth keeping during an outage. The push at the head may be on the
 * wire; it is never evicted, so a push that succeeds is never also counted as dropped.
 */

import type { PushBatch } from "./push-batch.ts";

export class RetryBuffer {
  readonly #items: PushBatch[] = [];
  #bytes = 0;
  #lines = 0;
  /** Set while the head is being sent. */
  headInFlight = false;

  constructor(readonly capacityBytes: number) {}

  get usageBytes(): number {
    return this.#bytes;
  }
  get lines(): number {
    return this.#lines;
  }
  get length(): number {
    return this.#items.length;
  }

  peek(): PushBatch | undefined {
    return this.#items[0];
  }

  /**
   * Appends a push and evicts the oldest ones until the buffer fits — but never the one just added nor the one in
   * flight, so it holds at most the capacity plus those two. Returns the evicted pushes, oldest first.
   */
  add(batch: PushBatch): PushBatch[] {
    this.#items.push(batch);
    this.#bytes += batch.estimatedBytes;
    this.#lines += batch.lines;
    const evicted: PushBatch[] = [];
    const first = this.headInFlight ? 1 : 0;
    while (this.#bytes > this.capacityBytes && this.#items.length - first > 1) {
      const [old] = this.#items.splice(first, 1);
      this.#account(old!);
      evicted.push(old!);
    }
    return evicted;
  }

  shift(): PushBatch | undefined {
    const b = this.#items.shift();
    if (b) this.#account(b);
    return b;
  }

  #account(b: PushBatch): void {
    this.#bytes -= b.estimatedBytes;
    this.#lines -= b.lines;
  }
}
