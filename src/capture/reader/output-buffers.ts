/**
 * Memory for judged frames' output (the matching lines as stored), used again once it has been written: a fresh
 * 1 MiB buffer per frame is page-faulted in as it is filled (reusing them took grep's system time from 417 to 292 ms
 * on the 1 GiB benchmark capture at 50 % selectivity, docs/benchmarks.md). A search worker's buffers cross to the
 * main thread with its answers; the reader gives them back with the next requests.
 */

/** A buffer is at least this large, so that one serves any frame's output (a capture frame holds ≤ 1 MiB of lines). */
const MIN_SIZE = 1 << 20;
/** Kept at most: a reader has a few dozen frames in flight. */
const MAX_KEPT = 64;

export class OutputBuffers {
  readonly #free: ArrayBuffer[] = [];

  /** `size` bytes to write into (a view of a buffer used before, when one is large enough). */
  take(size: number): Uint8Array {
    if (size === 0) return new Uint8Array(0);
    for (let i = this.#free.length - 1; i >= 0; i--) {
      const b = this.#free[i]!;
      if (b.byteLength >= size) {
        this.#free.splice(i, 1);
        return new Uint8Array(b, 0, size);
      }
    }
    return new Uint8Array(new ArrayBuffer(Math.max(size, MIN_SIZE)), 0, size);
  }

  /** A buffer `take` gave (here or in another thread) whose bytes nothing reads any more. */
  giveBack(buffer: ArrayBuffer): void {
    if (this.#free.length < MAX_KEPT && buffer.byteLength >= MIN_SIZE) this.#free.push(buffer);
  }

  /** Up to `n` free buffers, removed: to hand to another thread. */
  drain(n: number): ArrayBuffer[] {
    return this.#free.splice(0, n);
  }
}
