/** The receivers `deploy` and `recv --in-cluster` leave behind (§22.8): pods labelled as logtap's receiver. */

import type { Cluster } from "../connect.ts";
import { MANAGED_BY_LABEL } from "../tap/names.ts";

export const RECEIVER_SELECTOR = `${MANAGED_BY_LABEL}=logtap,app.kubernetes.io/name=logtap-receiver`;

export interface ReceiverPod {
  pod_name: string;
  namespace: string;
  /** Since creation, in nanoseconds (a Go time.Duration in upstream's JSON). */
  age: number;
}

interface PodList {
  items?: { metadata: { name: string; namespace?: string; creationTimestamp?: string } }[];
}

export async function listReceiverPods(cluster: Cluster, namespace: string, now: number, signal?: AbortSignal): Promise<ReceiverPod[]> {
  const list = await cluster.request<PodList>({ path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`, query: { labelSelector: RECEIVER_SELECTOR }, signal });
  return (list?.items ?? []).map((p) => {
    const created = Date.parse(p.metadata.creationTimestamp ?? "");
    return { pod_name: p.metadata.name, namespace: p.metadata.namespace ?? namespace, age: Number.isNaN(created) ? 0 : Math.max(0, now - created) * 1e6 };
  });
}
