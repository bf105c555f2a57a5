/** Sink: keeps every batch in memory, for outputs that must see everything first (sorted, aligned, grouped). */

import type { CaptureBatch } from "../../src/model/capture-batch.ts";

/**
 * @example
 * const sink = new CollectSink(); await source.pipeTo(sink); sink.batches.flatMap((b) => b.entries)
 */
export class CollectSink extends WritableStream<CaptureBatch> {
  readonly batches: CaptureBatch[] = [];
  constructor() {
    const batches: CaptureBatch[] = [];
    super({ write: (batch) => void batches.push(batch) });
    this.batches = batches;
  }
}
