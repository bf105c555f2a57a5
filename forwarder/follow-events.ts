/**
 * What the pod-log source reports, as the forwarder reports it: gaps and warnings on stderr (the sidecar's own log,
 * which `kubectl logs` and the cluster's log pipeline show) and in /metrics.
 */

import { formatInstant } from "../src/capture/timestamp.ts";
import type { ForwarderMetrics } from "../src/forward/forwarder-metrics.ts";
import type { FollowEvents } from "../src/kube/follow/follow-events.ts";

const WHY = { rotated: "rotated away", restarted: "lost to restarts", deleted: "deleted with the pod" } as const;

export function forwarderEvents(metrics: ForwarderMetrics, log: (line: string) => void): FollowEvents {
  return {
    gap(g) {
      metrics.gaps.inc(g.reason);
      const until = g.before ? ` until ${formatInstant(g.before.sec, g.before.nsec)}` : "";
      log(`gap in ${g.container}: lines after ${formatInstant(g.after.sec, g.after.nsec)}${until} ${WHY[g.reason]} while the stream was down`);
    },
    warning: log,
    reconnect: () => metrics.reconnects.inc(),
    streams: (active) => metrics.streams.set(active),
  };
}
