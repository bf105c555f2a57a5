/**
 * Sink: pushes entry batches to a Loki push endpoint — encoded as pushes within the body bound (snappy protobuf by
 * default, or JSON), handed to the Sender, which retries, buffers and keeps their order (src/forward/sender.ts).
 * A write resolves when the Sender lets it (at once while the receiver is down), which is the back-pressure the
 * source sees. Closing gives what is left `closeBudgetMs` to get through.
 */

import type { EntryBatch } from "../../src/model/entry.ts";
import type { ForwarderMetrics } from "../../src/forward/forwarder-metrics.ts";
import { encodePushes, MAX_BODY_BYTES, type PushFormat } from "../../src/forward/push-batch.ts";
import type { Sender } from "../../src/forward/sender.ts";

export interface LokiPushSinkOptions {
  sender: Sender;
  format: PushFormat;
  metrics: ForwarderMetrics;
  log: (line: string) => void;
  closeBudgetMs: number;
}

/**
 * @example
 * await source.pipeThrough(new RebatchStream(opts)).pipeTo(new LokiPushSink({ sender, format: "protobuf", metrics, log, closeBudgetMs: 10_000 }))
 */
export class LokiPushSink extends WritableStream<EntryBatch> {
  constructor(o: LokiPushSinkOptions) {
    super({
      async write(batch) {
        const { batches, tooLarge } = encodePushes(batch.entries, o.format);
        if (tooLarge.length > 0) {
          o.metrics.drops.inc("too_large", tooLarge.length);
          o.log(`line too large for one push (over ${MAX_BODY_BYTES} bytes encoded), dropping ${tooLarge.length} lines`);
        }
        for (const b of batches) await o.sender.send(b);
      },
      close: () => o.sender.close(o.closeBudgetMs),
      abort: () => o.sender.close(o.closeBudgetMs),
    });
  }
}
