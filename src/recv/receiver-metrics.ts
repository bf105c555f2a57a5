/** The receiver's `logtap_*` metrics (upstream §3.10), every one of them actually updated (Q6). */

import { Counter, Gauge, Histogram, LabeledCounter, Registry } from "../metrics/registry.ts";

export function createReceiverMetrics(redactPatterns: readonly string[]) {
  const registry = new Registry();
  const m = {
    registry,
    received: registry.register(new Counter("logtap_logs_received_total", "Log entries accepted into the writer queue.")),
    dropped: registry.register(new Counter("logtap_logs_dropped_total", "Log entries dropped because the queue was full or could not be written.")),
    written: registry.register(new Counter("logtap_logs_written_total", "Log entries written to disk.")),
    bytesWritten: registry.register(new Counter("logtap_bytes_written_total", "Uncompressed JSONL bytes written to disk.")),
    bytesStored: registry.register(new Counter("logtap_bytes_stored_total", "Bytes written to data files after compression.")),
    diskUsage: registry.register(new Gauge("logtap_disk_usage_bytes", "Bytes used by the capture directory.")),
    activeConnections: registry.register(new Gauge("logtap_active_connections", "Push requests currently being handled.")),
    backpressure: registry.register(new Counter("logtap_backpressure_events_total", "Entries refused because the writer queue was full.")),
    redactions: registry.register(new LabeledCounter("logtap_redactions_total", "PII redactions applied, by pattern.", "pattern", redactPatterns)),
    pushDuration: registry.register(new Histogram("logtap_push_duration_seconds", "Time to handle a push request.")),
    queueLength: registry.register(new Gauge("logtap_writer_queue_length", "Entries waiting in the writer queue.")),
    queueCapacity: registry.register(new Gauge("logtap_writer_queue_capacity", "Capacity of the writer queue (--buffer).")),
    rotations: registry.register(new LabeledCounter("logtap_rotation_total", "Data files closed, by reason.", "reason", ["size"])),
    rotationErrors: registry.register(new Counter("logtap_rotation_errors_total", "Failed rotations or frame writes.")),
    filesDeleted: registry.register(new Counter("logtap_disk_cap_deletions_total", "Data files deleted to stay under --max-disk.")),
    skewed: registry.register(
      new LabeledCounter(
        "logtap_logs_skewed_total",
        "Log entries accepted whose timestamp was more than 168h older (old) or 10m newer (future) than their arrival; Loki would reject them, logtap keeps them.",
        "direction",
        ["old", "future"],
      ),
    ),
    requestsRejected: registry.register(new LabeledCounter("logtap_push_rejected_total", "Push requests answered with an error, by HTTP status.", "status")),
  };
  return m;
}

export type ReceiverMetrics = ReturnType<typeof createReceiverMetrics>;
