/**
 * Where followed containers' lines enter the receiver: the pod-log source → [redact, as pushes are on the decode
 * workers] → the same ingest queue as every push, so the TUI, the writer, the metrics and the capture treat them
 * alike. Unlike a push, a batch that does not fit waits for room instead of being dropped: the follower is the
 * reader here, and its lines wait on the node meanwhile (backpressure reaches the log streams). Taken entries count
 * as received, so written + dropped == received holds for both.
 */

import { PodLogSource, type EntryProducer } from "../../pipeline/sources/pod-log-source.ts";
import type { IngestQueue } from "../../pipeline/sources/ingest-queue.ts";
import { RedactStream } from "../../pipeline/stages/redact.ts";
import type { Entry, EntryBatch } from "../model/entry.ts";
import type { Redactor } from "../redact/redactor.ts";
import type { FollowMetrics } from "./follow-metrics.ts";
import { pushSkew } from "./push-skew.ts";
import type { ReceiverMetrics } from "./receiver-metrics.ts";

export interface FollowIntake {
  /** Stops following; resolves once every line read is in the queue. */
  stop(): Promise<void>;
}

export function startFollowIntake(producer: EntryProducer, queue: IngestQueue, metrics: ReceiverMetrics, follow: FollowMetrics, redactor: Redactor | null): FollowIntake {
  const source = new PodLogSource(producer);
  const readable: ReadableStream<EntryBatch> = redactor ? source.readable.pipeThrough(new RedactStream(redactor)) : source.readable;
  const admit = async (batch: EntryBatch) => {
    let entries: Entry[] = batch.entries;
    for (;;) {
      const taken = queue.offer(entries);
      metrics.received.inc(taken);
      follow.lines.inc(taken);
      const skew = pushSkew(entries, taken, Date.now() / 1000);
      if (skew) {
        metrics.skewed.inc("old", skew.old);
        metrics.skewed.inc("future", skew.future);
      }
      if (taken === entries.length) return;
      entries = entries.slice(taken);
      if (queue.closed) {
        // Only if the queue closed before the follower stopped (it is stopped first): counted, never silent.
        metrics.dropped.inc(entries.length);
        return;
      }
      await queue.room();
    }
  };
  const done = readable.pipeTo(new WritableStream<EntryBatch>({ write: admit }));
  return {
    async stop() {
      await source.stop();
      await done;
    },
  };
}
