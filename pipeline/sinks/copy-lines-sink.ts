/** Sink: copies the stored lines of capture batches into a new capture, byte for byte, one file per source file. */

import type { CaptureBatch } from "../../src/model/capture-batch.ts";
import type { LineCopyWriter } from "../../src/capture/copy/line-copy-writer.ts";

/**
 * Needs a reader with `keepRaw: true`. Close the writer afterwards for the totals.
 *
 * @example
 * const reader = new CaptureReader("./capture", { filter, keepRaw: true });
 * const copier = new LineCopyWriter("./slice");
 * await captureSource(reader).pipeThrough(new FilterEntriesStream(filter)).pipeTo(new CopyLinesSink(copier));
 * const totals = await copier.close();
 */
export class CopyLinesSink extends WritableStream<CaptureBatch> {
  constructor(writer: LineCopyWriter) {
    super({ write: (batch) => writer.write(batch) });
  }
}
