/**
 * Where decoded pushes enter the pipeline: admission into the bounded queue (never waiting), drop counting,
 * metrics and the audit line of each push.
 */

import type { Entry } from "../../pipeline/entry.ts";
import type { IngestQueue } from "../../pipeline/sources/ingest-queue.ts";
import type { AuditLog } from "../capture/audit-log.ts";
import type { ReceiverMetrics } from "./receiver-metrics.ts";

export type PushKind = "loki_push_received" | "raw_push_received" | "otlp_push_received";

export class PushIntake {
  constructor(
    private readonly queue: IngestQueue,
    private readonly metrics: ReceiverMetrics,
    private readonly audit: AuditLog,
  ) {}

  /** Returns how many entries were accepted; the rest are counted as dropped ("never block the sender"). */
  accept(entries: Entry[], kind: PushKind, remote: string, startedMs: number): number {
    const accepted = this.queue.offer(entries);
    const dropped = entries.length - accepted;
    this.metrics.received.inc(accepted);
    if (dropped > 0) {
      this.metrics.dropped.inc(dropped);
      this.metrics.backpressure.inc(dropped);
    }
    let bytes = 0;
    for (let i = 0; i < entries.length; i++) bytes += Buffer.byteLength(entries[i]!.msg);
    this.audit.record({ event: kind, remote_ip: remote, lines: entries.length, bytes, duration_ms: performance.now() - startedMs });
    return accepted;
  }
}
