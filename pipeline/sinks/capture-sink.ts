/** Sink: writes JSONL batches into a capture directory through a CaptureWriter (frames, rotation, disk cap, index). */

import type { JsonlBatch } from "../../src/model/jsonl-batch.ts";
import type { CaptureWriter } from "../../src/capture/writer/capture-writer.ts";

/**
 * @example
 * await source.pipeThrough(new EncodeJsonlStream()).pipeTo(new CaptureSink(writer));
 * const totals = await writer.close();
 */
export class CaptureSink extends WritableStream<JsonlBatch> {
  constructor(writer: CaptureWriter) {
    super({
      write: async (batch) => {
        await writer.write(batch);
        // The writer has copied every line into its frames by now: a pooled encoding buffer can be reused.
        batch.release?.();
      },
    });
  }
}
