/**
 * `logtap status` (§22.9): the tapped workloads and, once per distinct target, whether the receiver answers and
 * what its /metrics says (https targets too: receiver-probe.ts). Any cluster error ends the command with its exit
 * code (403 → 4, missing namespace → 3, unreachable → 5): unlike check, status has nothing to show without them.
 */

import type { Cluster } from "../connect.ts";
import { requireNamespace } from "../check/namespace-exists.ts";
import { probeReceiver, type ReceiverProbe } from "../receiver-probe.ts";
import { receiverStats, type ReceiverStats } from "./receiver-metrics.ts";
import { tappedWorkloads, type TappedWorkload } from "./tapped-status.ts";

export interface ReceiverStatus {
  probe: ReceiverProbe;
  stats: ReceiverStats;
}

export interface StatusReport {
  namespace: string;
  workloads: TappedWorkload[];
  /** By target, in the order the workloads name them. */
  receivers: Map<string, ReceiverStatus>;
}

export async function runStatus(cluster: Cluster, signal?: AbortSignal): Promise<StatusReport> {
  await requireNamespace(cluster, cluster.namespace, signal);
  const workloads = await tappedWorkloads(cluster, cluster.namespace, signal);
  const targets = [...new Set(workloads.map((w) => w.target))];
  const receivers = new Map(
    await Promise.all(
      targets.map(async (t) => {
        const probe = await probeReceiver(t, { readBody: true });
        return [t, { probe, stats: probe.body === undefined ? {} : receiverStats(probe.body) }] as const;
      }),
    ),
  );
  return { namespace: cluster.namespace, workloads, receivers };
}
