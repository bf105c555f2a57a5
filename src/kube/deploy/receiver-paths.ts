/** API paths of the receiver's objects, and deleting them when they may already be gone. */

import type { Cluster } from "../connect.ts";
import { isNotFound } from "../errors/kube-error.ts";
import { RECEIVER_NAME } from "./receiver-objects.ts";

export type ReceiverKind = "pods" | "services" | "secrets";

export function objectPath(namespace: string, kind: ReceiverKind): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/${kind}/${RECEIVER_NAME}`;
}

export function namespacePath(namespace: string): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}`;
}

/** DELETE; true when it was there. Not-found is no error: cleanup is asked for what may be gone already. */
export async function deleteIgnoringMissing(cluster: Cluster, path: string, signal?: AbortSignal): Promise<boolean> {
  try {
    await cluster.request({ method: "DELETE", path, signal });
    return true;
  } catch (e) {
    if (isNotFound(e)) return false;
    throw e;
  }
}
