/** Stage: entries → capture JSONL bytes (one buffer per batch plus line ends), the form every capture sink writes. */

import type { EntryBatch } from "../../src/model/entry.ts";
import type { JsonlBatch } from "../../src/model/jsonl-batch.ts";
import { encodeJsonlBatch, JsonlBufferPool } from "../../src/capture/jsonl-batch-encoder.ts";

export { encodeJsonlBatch };

/**
 * Batches come out in pooled buffers that the capture sink gives back after writing them, so a long-running
 * pipeline (the receiver) encodes without a fresh buffer per batch.
 * @example
 * source.pipeThrough(new EncodeJsonlStream()).pipeTo(captureSink)
 */
export class EncodeJsonlStream extends TransformStream<EntryBatch, JsonlBatch> {
  constructor() {
    const pool = new JsonlBufferPool();
    super({
      transform(batch, controller) {
        if (batch.entries.length > 0) controller.enqueue(pool.encode(batch));
      },
    });
  }
}
