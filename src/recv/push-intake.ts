/**
 * Where decoded pushes enter the pipeline: admission into the bounded queue (never waiting), drop counting,
 * metrics and the audit line of each push. Overload policy: `drop` (upstream: keep what fits, count the rest,
 * answer 204) or `429` (refuse the whole push so a retrying client — Alloy, Promtail, Vector, Fluentd — loses
 * nothing).
 */

import type { Entry } from "../../pipeline/entry.ts";
import type { IngestQueue } from "../../pipeline/sources/ingest-queue.ts";
import type { AuditLog } from "../capture/audit-log.ts";
import type { ReceiverMetrics } from "./receiver-metrics.ts";
import { HttpError } from "../server/http-error.ts";

export type OverloadPolicy = "drop" | "429";

export type PushKind = "loki_push_received" | "raw_push_received" | "otlp_push_received";

export class PushIntake {
  constructor(
    private readonly queue: IngestQueue,
    private readonly metrics: ReceiverMetrics,
    private readonly audit: AuditLog,
    private readonly overload: OverloadPolicy = "drop",
  ) {}

  /** Returns how many entries were accepted; the rest are counted as dropped ("never block the sender"). */
  accept(entries: Entry[], kind: PushKind, remote: string, startedMs: number, msgBytes?: number): number {
    if (this.overload === "429" && !this.queue.offerAll(entries)) {
      this.metrics.backpressure.inc(entries.length);
      throw new HttpError(429, `ingest queue full (${this.queue.length}/${this.queue.capacity} entries): retry later`);
    }
    const accepted = this.overload === "429" ? entries.length : this.queue.offer(entries);
    const dropped = entries.length - accepted;
    this.metrics.received.inc(accepted);
    if (dropped > 0) {
      this.metrics.dropped.inc(dropped);
      this.metrics.backpressure.inc(dropped);
    }
    let bytes = msgBytes ?? 0;
    if (msgBytes === undefined) for (let i = 0; i < entries.length; i++) bytes += Buffer.byteLength(entries[i]!.msg);
    this.audit.record({ event: kind, remote_ip: remote, lines: entries.length, bytes, duration_ms: performance.now() - startedMs });
    return accepted;
  }
}
