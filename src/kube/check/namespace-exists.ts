/** A list in a missing namespace is empty, not an error (as the API server answers): ask for the namespace itself. */

import type { Cluster } from "../connect.ts";
import { isForbidden } from "../errors/kube-error.ts";

/**
 * Fails with the server's `namespaces "x" not found` (exit 3) when it is missing. A user allowed only inside the
 * namespace (a Role) may not read the namespace object (403): then the lists that follow tell what they can.
 */
export async function requireNamespace(cluster: Cluster, namespace: string, signal?: AbortSignal): Promise<void> {
  try {
    await cluster.request({ path: `/api/v1/namespaces/${encodeURIComponent(namespace)}`, signal });
  } catch (e) {
    if (!(isForbidden(e) && e.status === 403)) throw e;
  }
}
