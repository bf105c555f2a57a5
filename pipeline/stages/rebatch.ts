/**
 * Stage: re-cuts a stream of batches into batches bounded by lines and estimated bytes, and never held longer than
 * `maxDelayMs` after their first entry arrived — so a quiet source still flushes, and a busy one sends full batches.
 * What is pending when the input ends is flushed. Entries keep their order.
 */

import type { Entry, EntryBatch } from "../../src/model/entry.ts";

export interface RebatchOptions {
  maxLines: number;
  /** Bound on Σ (message length + `perEntryBytes`); the first entry of a batch is always taken. */
  maxBytes: number;
  perEntryBytes?: number;
  maxDelayMs: number;
}

/**
 * @example
 * source.pipeThrough(new RebatchStream({ maxLines: 1000, maxBytes: 512 * 1024, maxDelayMs: 500 })).pipeTo(sink)
 */
export class RebatchStream extends TransformStream<EntryBatch, EntryBatch> {
  constructor(o: RebatchOptions) {
    const perEntry = o.perEntryBytes ?? 0;
    let pending: Entry[] = [];
    let bytes = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let out: TransformStreamDefaultController<EntryBatch> | undefined;
    const flush = () => {
      clearTimeout(timer);
      timer = undefined;
      if (pending.length === 0) return;
      out!.enqueue({ entries: pending });
      pending = [];
      bytes = 0;
    };
    const flushLate = () => {
      try {
        flush();
      } catch {
        // The output was cancelled (enqueue throws): nobody is left to take the entries.
      }
    };
    super({
      start(controller) {
        out = controller;
      },
      transform(batch) {
        for (const e of batch.entries) {
          const size = e.msg.length + perEntry;
          if (pending.length > 0 && (pending.length >= o.maxLines || bytes + size > o.maxBytes)) flush();
          pending.push(e);
          bytes += size;
        }
        if (pending.length >= o.maxLines || bytes >= o.maxBytes) flush();
        else if (pending.length > 0 && timer === undefined) timer = setTimeout(flushLate, o.maxDelayMs);
      },
      flush,
    });
  }
}
