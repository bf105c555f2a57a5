/** Source: the entries of a capture directory that may pass a filter, batch per frame, in file (= creation) order. */

import type { CaptureBatch } from "../../src/model/capture-batch.ts";
import { iteratorSource } from "./iterator-source.ts";
import { CaptureReader, type CaptureReadOptions } from "../../src/capture/reader/capture-reader.ts";

/**
 * The reader skips coarsely (files and frames by index, raw-text prefilter); follow it with FilterEntriesStream for
 * the exact per-entry decision.
 *
 * @example
 * const reader = new CaptureReader("./capture", { filter });
 * await captureSource(reader).pipeThrough(new FilterEntriesStream(filter)).pipeTo(sink);
 * console.error(reader.stats.problems);
 */
export function captureSource(reader: CaptureReader | string, opts?: CaptureReadOptions): ReadableStream<CaptureBatch> {
  const r = typeof reader === "string" ? new CaptureReader(reader, opts) : reader;
  return iteratorSource(r.batches());
}
