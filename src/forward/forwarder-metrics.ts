/**
 * The forwarder's /metrics (§23.4): upstream's three series under their names, plus what an operator needs to size
 * and trust the sidecar — lines read and pushed, drops by reason, and the process's memory and CPU (upstream had Go's
 * process collector for those).
 */

import { Counter, Gauge, LabeledCounter, Registry } from "../metrics/registry.ts";

export type DropReason = "evicted" | "rejected" | "too_large" | "shutdown";

export class ForwarderMetrics {
  readonly registry = new Registry();
  readonly retries = this.registry.register(new Counter("logtap_forwarder_retries_total", "Push attempts repeated after a 5xx, a 429 or a transport error."));
  readonly bufferUsage = this.registry.register(new Gauge("logtap_forwarder_buffer_usage_bytes", "Estimated bytes held in the retry buffer (LOGTAP_BUFFER_SIZE bounds it)."));
  readonly bufferLines = this.registry.register(new Gauge("logtap_forwarder_buffer_lines", "Lines held in the retry buffer."));
  readonly drops = this.registry.register(
    new LabeledCounter("logtap_forwarder_drops_total", "Lines that will never be delivered: evicted from a full retry buffer, refused with a 4xx, larger than a push may be, or still undelivered at shutdown.", "reason", ["evicted", "rejected", "too_large", "shutdown"] satisfies DropReason[]),
  );
  readonly linesRead = this.registry.register(new Counter("logtap_forwarder_lines_read_total", "Log lines read from the sibling containers."));
  readonly linesPushed = this.registry.register(new Counter("logtap_forwarder_lines_pushed_total", "Log lines the receiver accepted (2xx)."));
  readonly pushes = this.registry.register(new Counter("logtap_forwarder_pushes_total", "Push requests the receiver accepted (2xx)."));
  readonly gaps = this.registry.register(
    new LabeledCounter("logtap_forwarder_gaps_total", "Stretches of a container's log that could not be read: rotated away or lost to restarts while a stream was down.", "reason", ["rotated", "restarted", "deleted"]),
  );
  readonly reconnects = this.registry.register(new Counter("logtap_forwarder_reconnects_total", "Log streams and pod watches opened again after they ended or failed."));
  readonly streams = this.registry.register(new Gauge("logtap_forwarder_streams", "Container log streams being read."));
  readonly rss = this.registry.register(new Gauge("process_resident_memory_bytes", "Resident memory size in bytes."));
  readonly cpu = this.registry.register(new Counter("process_cpu_seconds_total", "Total user and system CPU time spent in seconds."));
  readonly startTime = this.registry.register(new Gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds."));

  constructor() {
    this.rss.collect = () => process.memoryUsage.rss();
    this.startTime.set(Math.floor(Date.now() / 1000 - process.uptime()));
  }

  render(): string {
    const { user, system } = process.cpuUsage();
    this.cpu.value = (user + system) / 1e6;
    return this.registry.render();
  }
}
