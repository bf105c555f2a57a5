/** Sink: counts entries per data file, in the order files are read. */

import type { CaptureBatch } from "../../src/model/capture-batch.ts";

/**
 * @example
 * const sink = new CountByFileSink(); await source.pipeTo(sink); sink.counts // Map { "…-000.jsonl.zst" => 12 }
 */
export class CountByFileSink extends WritableStream<CaptureBatch> {
  readonly counts: Map<string, number>;
  constructor() {
    const counts = new Map<string, number>();
    super({ write: (batch) => void counts.set(batch.file, (counts.get(batch.file) ?? 0) + batch.entries.length) });
    this.counts = counts;
  }
}
