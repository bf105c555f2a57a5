/**
 * Deleting an in-cluster receiver: Pod, Service and token Secret (each may be gone already), and the namespace only
 * when asked (recv --in-cluster created it; deploy --cleanup never deletes one, as upstream). The pod is waited for
 * until it is gone, so that `logtap check` right after finds no leftover; by then its capture must be home.
 */

import type { Cluster } from "../connect.ts";
import { isNotFound } from "../errors/kube-error.ts";
import { RECEIVER_LABELS } from "./receiver-objects.ts";
import { deleteIgnoringMissing, namespacePath, objectPath, type ReceiverKind } from "./receiver-paths.ts";

export interface CleanupResult {
  /** What was there and is deleted now. */
  deleted: (ReceiverKind | "namespaces")[];
  /** The pod was still terminating when the wait ended. */
  podStillTerminating: boolean;
}

export async function removeReceiver(cluster: Cluster, namespace: string, o: { deleteNamespace?: boolean; waitMs?: number } = {}): Promise<CleanupResult> {
  const deleted: CleanupResult["deleted"] = [];
  for (const kind of ["pods", "services", "secrets"] as const) if (await deleteIgnoringMissing(cluster, objectPath(namespace, kind))) deleted.push(kind);
  const podStillTerminating = deleted.includes("pods") && !(await podGone(cluster, namespace, o.waitMs ?? 30_000));
  if (o.deleteNamespace && (await deleteIgnoringMissing(cluster, namespacePath(namespace)))) deleted.push("namespaces");
  return { deleted, podStillTerminating };
}

async function podGone(cluster: Cluster, namespace: string, waitMs: number): Promise<boolean> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      await cluster.request({ path: objectPath(namespace, "pods") });
    } catch (e) {
      if (isNotFound(e)) return true;
      throw e;
    }
    if (Date.now() >= deadline) return false;
    await Bun.sleep(200);
  }
}

/**
 * Whether logtap created this namespace for a receiver (deploy and recv --in-cluster label the namespaces they
 * create, §3.13): recv --in-cluster and pull --cleanup then delete it with the receiver.
 */
export async function namespaceIsReceivers(cluster: Cluster, namespace: string): Promise<boolean> {
  try {
    const ns = await cluster.request<{ metadata?: { labels?: Record<string, string> } }>({ path: namespacePath(namespace) });
    return Object.entries(RECEIVER_LABELS).every(([k, v]) => ns.metadata?.labels?.[k] === v);
  } catch (e) {
    if (isNotFound(e)) return false;
    throw e;
  }
}
