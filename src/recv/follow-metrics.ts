/** The receiver's metrics for `recv --follow`, registered only when it follows (a plain receiver's /metrics is unchanged). */

import { Counter, Gauge, LabeledCounter, type Registry } from "../metrics/registry.ts";

export function createFollowMetrics(registry: Registry) {
  return {
    lines: registry.register(new Counter("logtap_follow_lines_total", "Log lines read from followed containers and accepted into the writer queue.")),
    active: registry.register(new Gauge("logtap_follow_streams_active", "Container log streams being read.")),
    waiting: registry.register(new Gauge("logtap_follow_streams_waiting", "Containers waiting for a free stream (--max-streams reached).")),
    gaps: registry.register(
      new LabeledCounter("logtap_follow_gaps_total", "Stretches of container log that could not be read (rotated away, restarted or deleted while a stream was down).", "reason", ["rotated", "restarted", "deleted"]),
    ),
    reconnects: registry.register(new Counter("logtap_follow_reconnects_total", "Log streams and pod watches opened again after they ended or failed.")),
  };
}

export type FollowMetrics = ReturnType<typeof createFollowMetrics>;
