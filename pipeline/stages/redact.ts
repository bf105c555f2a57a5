/** Stage: rewrites each entry's message through the PII redactor, in place, before anything reaches a sink. */

import type { EntryBatch } from "../../src/model/entry.ts";
import { redactBatch, type Redactor } from "../../src/redact/redactor.ts";

/**
 * @example
 * queue.readable.pipeThrough(new RedactStream(redactor)).pipeThrough(new EncodeJsonlStream())
 */
export class RedactStream extends TransformStream<EntryBatch, EntryBatch> {
  constructor(redactor: Redactor) {
    super({
      transform(batch, controller) {
        redactBatch(redactor, batch);
        controller.enqueue(batch);
      },
    });
  }
}
