/**
 * Source: the receiver's bounded ingest queue. Its high-water mark (in entries) is the --buffer capacity, so stream
 * backpressure is the queue; a push that does not fit is never awaited — what does not fit is refused at once.
 *
 * An empty queue takes a push whole even when it is larger than the capacity: otherwise such a push could never fit,
 * and would be cut (drop) or refused with "retry later" (429) every time it is sent. This keeps the memory bound:
 * the push is already decoded in memory (its size bounded by --max-body), and while the queue is over its mark
 * nothing else fits, so it holds at most max(capacity, one push) entries.
 */

import type { Entry, EntryBatch } from "../../src/model/entry.ts";

export class IngestQueue {
  readonly readable: ReadableStream<EntryBatch>;
  readonly capacity: number;
  #controller!: ReadableStreamDefaultController<EntryBatch>;
  #closed = false;
  #roomWaiters: (() => void)[] = [];

  constructor(capacity: number) {
    this.capacity = capacity;
    this.readable = new ReadableStream<EntryBatch>(
      {
        start: (controller) => {
          this.#controller = controller;
        },
        // Called whenever the queue drops below its mark: room for sources that wait instead of dropping.
        pull: () => this.#wakeRoomWaiters(),
      },
      { highWaterMark: capacity, size: (batch) => batch?.entries.length ?? 0 },
    );
  }

  /** Entries waiting to be read by the first stage. */
  get length(): number {
    return this.#closed ? 0 : this.capacity - (this.#controller.desiredSize ?? 0);
  }

  get full(): boolean {
    return this.length >= this.capacity;
  }

  /** Enqueues as many entries as fit (in order) and returns how many; the rest are the caller's to count as dropped. */
  offer(entries: Entry[]): number {
    if (this.#closed || entries.length === 0) return 0;
    const n = Math.min(this.#room(), entries.length);
    if (n > 0) this.#controller.enqueue({ entries: n === entries.length ? entries : entries.slice(0, n) });
    return n;
  }

  /** All or nothing: for callers that would rather have the client retry the whole push. */
  offerAll(entries: Entry[]): boolean {
    if (this.#closed) return false;
    if (this.#room() < entries.length) return false;
    if (entries.length > 0) this.#controller.enqueue({ entries });
    return true;
  }

  /**
   * Resolves once the queue has room again (or is closed). For sources that can wait instead of dropping what does
   * not fit — the pod-log follower, whose lines stay on the node meanwhile; pushes never wait.
   */
  room(): Promise<void> {
    if (this.#closed || this.#room() > 0) return Promise.resolve();
    return new Promise((resolve) => this.#roomWaiters.push(resolve));
  }

  get closed(): boolean {
    return this.#closed;
  }

  #wakeRoomWaiters(): void {
    const waiters = this.#roomWaiters;
    this.#roomWaiters = [];
    for (const w of waiters) w();
  }

  /** Free room in entries; unlimited while the queue is empty (see the class comment). */
  #room(): number {
    const free = this.#controller.desiredSize ?? 0;
    return free >= this.capacity ? Infinity : Math.max(0, free);
  }

  /** Stops accepting; entries already queued still flow to the end of the pipeline. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#controller.close();
    this.#wakeRoomWaiters();
  }
}
