/**
 * `status --json` (§22.9): an array of tapped workloads, `null` when there are none (upstream's, kept: Q20).
 * `pods` is left out when empty. Added to upstream's shape: `receiver` — whether the target answered, why not, and
 * the values the text shows — so scripts need not scrape stderr.
 */

import type { StatusReport } from "./run-status.ts";

export function statusJson(r: StatusReport): unknown[] | null {
  if (r.workloads.length === 0) return null;
  return r.workloads.map((w) => {
    const rs = r.receivers.get(w.target)!;
    const receiver = {
      url: rs.probe.url,
      reachable: rs.probe.reachable,
      ...(rs.probe.error ? { error: rs.probe.error } : {}),
      ...(rs.probe.certificateProblem ? { certificate_error: rs.probe.certificateProblem } : {}),
      ...rs.stats,
    };
    return {
      workload: w.workload,
      sessions: w.sessions,
      target: w.target,
      ...(w.pods.length > 0 ? { pods: w.pods } : {}),
      ready: w.ready,
      total: w.total,
      receiver,
    };
  });
}
