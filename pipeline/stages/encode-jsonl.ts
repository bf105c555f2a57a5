/** Stage: entries → capture JSONL bytes (one buffer per batch plus line ends), the form every capture sink writes. */

import type { EntryBatch } from "../entry.ts";
import type { JsonlBatch } from "../jsonl-batch.ts";
import { encodeJsonlBatch } from "../../src/capture/jsonl-batch-encoder.ts";

export { encodeJsonlBatch };

/**
 * @example
 * source.pipeThrough(new EncodeJsonlStream()).pipeTo(captureSink)
 */
export class EncodeJsonlStream extends TransformStream<EntryBatch, JsonlBatch> {
  constructor() {
    super({
      transform(batch, controller) {
        if (batch.entries.length > 0) controller.enqueue(encodeJsonlBatch(batch));
      },
    });
  }
}
