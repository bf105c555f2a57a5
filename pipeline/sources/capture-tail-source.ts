/** Source: the last entries of a capture, then — while it is live — every entry written to it, as it is written. */

import { iteratorSource } from "./iterator-source.ts";
import type { CaptureBatch } from "../../src/model/capture-batch.ts";
import type { CaptureTail } from "../../src/capture/tail/capture-tail.ts";

/**
 * Ends when the capture stops or the tail's abort signal fires. Follow it with FilterEntriesStream: only the backlog
 * is filtered by the tail itself (to pick the last N matches).
 *
 * @example
 * const tail = new CaptureTail("./capture", { lines: 10, filter, signal });
 * await captureTailSource(tail).pipeThrough(new FilterEntriesStream(filter)).pipeTo(new StdoutLinesSink(displayLine));
 */
export function captureTailSource(tail: CaptureTail): ReadableStream<CaptureBatch> {
  return iteratorSource(tail.batches());
}
