/**
 * Source: entries that a producer reads from many log streams at once (src/kube/follow: the containers of the
 * pods it follows), batched like every other source's — a batch every `batchEntries` entries or every `flushMs`,
 * never one per line. Backpressure reaches the streams: while `highWater` entries wait to be read downstream the
 * sink is `full`, and the producer's readers wait for `room()` before taking more from the network, so a slow disk
 * slows the reading instead of filling memory (the node keeps the logs meanwhile).
 *
 * @example
 * const source = new PodLogSource(follower);
 * source.readable.pipeThrough(new EncodeJsonlStream()).pipeTo(sink);
 * await source.stop(); // stops reading; what was read still flows, then the stream closes
 */

import type { Entry, EntryBatch } from "../../src/model/entry.ts";

/** Where a producer puts what it reads. */
export interface EntrySink {
  push(entry: Entry): void;
  /** True while the stream holds its high-water mark of unread entries: wait for room() before reading more. */
  readonly full: boolean;
  room(): Promise<void>;
}

/** Reads until `signal` aborts, then resolves once every entry read has been pushed. */
export interface EntryProducer {
  run(sink: EntrySink, signal: AbortSignal): Promise<void>;
}

export interface PodLogSourceOptions {
  batchEntries?: number;
  flushMs?: number;
  highWater?: number;
}

export class PodLogSource {
  readonly readable: ReadableStream<EntryBatch>;
  readonly #abort = new AbortController();
  #done!: Promise<void>;

  constructor(producer: EntryProducer, o: PodLogSourceOptions = {}) {
    const batchEntries = o.batchEntries ?? 2048;
    let pending: Entry[] = [];
    let waiters: (() => void)[] = [];
    let timer: ReturnType<typeof setInterval> | undefined;
    // Cancelled by the reader: what is still read goes nowhere (the controller would throw).
    let cancelled = false;
    const wake = () => {
      const w = waiters;
      waiters = [];
      for (const f of w) f();
    };
    this.readable = new ReadableStream<EntryBatch>(
      {
        start: (controller) => {
          const flush = () => {
            if (pending.length === 0 || cancelled) return;
            controller.enqueue({ entries: pending });
            pending = [];
          };
          const sink: EntrySink = {
            push(entry) {
              pending.push(entry);
              if (pending.length >= batchEntries) flush();
            },
            get full() {
              return (controller.desiredSize ?? 0) <= 0;
            },
            room: () => ((controller.desiredSize ?? 0) > 0 ? Promise.resolve() : new Promise<void>((r) => waiters.push(r))),
          };
          timer = setInterval(flush, o.flushMs ?? 100);
          timer.unref?.();
          this.#done = producer.run(sink, this.#abort.signal).then(
            () => {
              clearInterval(timer);
              flush();
              wake();
              if (!cancelled) controller.close();
            },
            (e) => {
              clearInterval(timer);
              wake();
              if (!cancelled) controller.error(e);
            },
          );
        },
        pull: wake,
        cancel: () => {
          cancelled = true;
          this.#abort.abort();
          wake();
        },
      },
      { highWaterMark: o.highWater ?? 16_384, size: (batch) => batch?.entries.length ?? 0 },
    );
  }

  /** Stops the producer; resolves when everything it read has been enqueued (the stream then closes). */
  async stop(): Promise<void> {
    this.#abort.abort();
    await this.#done.catch(() => {});
  }
}
