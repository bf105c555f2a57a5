/**
 * Where decoded pushes enter the pipeline: admission into the bounded queue (never waiting), drop counting,
 * metrics and the audit line of each push. Overload policy: `drop` (upstream: keep what fits, count the rest,
 * answer 204) or `429` (refuse the whole push so a retrying client — Alloy, Promtail, Vector, Fluentd — loses
 * nothing). A push larger than --buffer is taken whole by an empty queue (IngestQueue), never refused as too large:
 * those clients drop a batch answered 413, so that would lose it for good.
 */

import type { IngestQueue } from "../../pipeline/sources/ingest-queue.ts";
import type { AuditLog } from "../capture/audit-log.ts";
import type { ReceiverMetrics } from "./receiver-metrics.ts";
import { pushSkew, skewAuditFields } from "./push-skew.ts";
import { HttpError } from "../server/http-error.ts";
import type { DecodedPush } from "../server/push-decode-pool.ts";

export type OverloadPolicy = "drop" | "429";

export type PushKind = "loki_push_received" | "raw_push_received" | "otlp_push_received";

export class PushIntake {
  #finished = false;

  constructor(
    private readonly queue: IngestQueue,
    private readonly metrics: ReceiverMetrics,
    private readonly audit: AuditLog,
    private readonly overload: OverloadPolicy = "drop",
  ) {}

  /**
   * Returns how many entries were accepted; the rest are counted as dropped ("never block the sender"). Redaction
   * hits are counted for pushes the queue takes (with `drop`, also for the part of a push that did not fit).
   */
  accept(push: DecodedPush, kind: PushKind, remote: string, startedMs: number): number {
    // A 5xx, not a 204 that would drop the push: a client keeps it and may send it to the next receiver.
    if (this.#finished) throw new HttpError(503, "this receiver has finished its capture and takes no more pushes");
    const { entries } = push;
    if (this.overload === "429" && !this.queue.offerAll(entries)) {
      this.metrics.backpressure.inc(entries.length);
      const { length, capacity } = this.queue;
      // Larger than the whole queue, a push is taken only while the queue is empty: say so, or the counts look wrong.
      const wait = entries.length > capacity ? `; a push of ${entries.length}, more than --buffer, needs it empty` : "";
      throw new HttpError(429, `ingest queue full (${length}/${capacity} entries${wait}): retry later`);
    }
    const accepted = this.overload === "429" ? entries.length : this.queue.offer(entries);
    const dropped = entries.length - accepted;
    this.metrics.received.inc(accepted);
    if (dropped > 0) {
      this.metrics.dropped.inc(dropped);
      this.metrics.backpressure.inc(dropped);
    }
    for (const [pattern, hits] of push.redactions) this.metrics.redactions.inc(pattern, hits);
    // The queue takes a prefix of the push: what it took is what the capture will hold.
    const skew = pushSkew(entries, accepted, Date.now() / 1000);
    if (skew) {
      this.metrics.skewed.inc("old", skew.old);
      this.metrics.skewed.inc("future", skew.future);
    }
    this.audit.record({ event: kind, remote_ip: remote, lines: entries.length, bytes: push.msgBytes, duration_ms: performance.now() - startedMs, ...skewAuditFields(skew) });
    return accepted;
  }

  /** From now on every push is refused (the capture is being finalised while the server keeps serving it). */
  finish(): void {
    this.#finished = true;
  }
}
