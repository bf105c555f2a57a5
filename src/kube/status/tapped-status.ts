/**
 * The tapped workloads of a namespace and whether their forwarders run (§22.9): per workload its sessions (ours
 * and upstream's), target, and pods — a pod forwards when a `logtap-forwarder-*` container (an app container, or a
 * native sidecar among the init containers) is running.
 */

import type { Cluster } from "../connect.ts";
import { SIDECAR_PREFIX, TARGET_ANNOTATION } from "../tap/names.ts";
import { templateAnnotations, type Workload } from "../tap/workload.ts";
import { partitionByTapped, tapState } from "../workloads/classify.ts";
import { listWorkloads } from "../workloads/discover.ts";
import { workloadRefOf, type WorkloadRef } from "../check/workload-ref.ts";
import { selectorText, type LabelSelector } from "../rollout/label-selector.ts";

export interface PodForwarding {
  name: string;
  sidecar_running: boolean;
}

export interface TappedWorkload {
  workload: WorkloadRef;
  sessions: string[];
  target: string;
  pods: PodForwarding[];
  /** Pods whose forwarder runs. */
  ready: number;
  total: number;
}

interface ContainerStatus {
  name: string;
  state?: { running?: unknown };
}

interface PodList {
  items?: { metadata: { name: string }; status?: { containerStatuses?: ContainerStatus[]; initContainerStatuses?: ContainerStatus[] } }[];
}

export async function tappedWorkloads(cluster: Cluster, namespace: string, signal?: AbortSignal): Promise<TappedWorkload[]> {
  const { tapped } = partitionByTapped(await listWorkloads(cluster, namespace, { signal }));
  return Promise.all(tapped.map((w) => describe(cluster, namespace, w, signal)));
}

async function describe(cluster: Cluster, namespace: string, w: Workload, signal?: AbortSignal): Promise<TappedWorkload> {
  const selector = selectorText((w.spec as { selector?: LabelSelector }).selector);
  const list = await cluster.request<PodList>({ path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`, query: { labelSelector: selector }, signal });
  const pods = (list?.items ?? []).map((p) => {
    const statuses = [...(p.status?.containerStatuses ?? []), ...(p.status?.initContainerStatuses ?? [])];
    return { name: p.metadata.name, sidecar_running: statuses.some((c) => c.name.startsWith(SIDECAR_PREFIX) && c.state?.running !== undefined) };
  });
  return {
    workload: workloadRefOf(w, namespace),
    sessions: tapState(w).sessions,
    target: templateAnnotations(w.spec.template)[TARGET_ANNOTATION] ?? "",
    pods,
    ready: pods.filter((p) => p.sidecar_running).length,
    total: pods.length,
  };
}
