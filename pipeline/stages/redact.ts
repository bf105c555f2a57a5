/** Stage: rewrites each entry's message through the PII redactor, in place, before anything reaches a sink. */

import type { EntryBatch } from "../entry.ts";

export interface MessageRedactor {
  redact(msg: string): string;
}

/**
 * @example
 * queue.readable.pipeThrough(new RedactStream(redactor)).pipeThrough(new EncodeJsonlStream())
 */
export class RedactStream extends TransformStream<EntryBatch, EntryBatch> {
  constructor(redactor: MessageRedactor) {
    super({
      transform(batch, controller) {
        const { entries } = batch;
        for (let i = 0; i < entries.length; i++) {
          const e = entries[i]!;
          e.msg = redactor.redact(e.msg);
        }
        controller.enqueue(batch);
      },
    });
  }
}
