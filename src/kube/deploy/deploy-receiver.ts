/**
 * Creating an in-cluster receiver (§22.6 / §3.13): the namespace if it is missing (labelled, remembered so that
 * recv --in-cluster can delete it again), the token Secret, the Service, the Pod. When one of them fails, what this
 * run created is deleted again (`Partial failure, cleaning up...`) and the error is `deploy receiver: …`.
 */

import type { Cluster } from "../connect.ts";
import { isNotFound } from "../errors/kube-error.ts";
import { withContext } from "../workloads/wrap-error.ts";
import { namespaceObject, receiverPod, receiverService, tokenSecret, type ReceiverSpec } from "./receiver-objects.ts";
import { deleteIgnoringMissing, namespacePath, objectPath, type ReceiverKind } from "./receiver-paths.ts";

export interface DeployedReceiver {
  namespace: string;
  port: number;
  token: string;
  /** This run created the namespace (recv --in-cluster deletes it at cleanup; deploy --cleanup never does). */
  createdNamespace: boolean;
}

export async function deployReceiver(cluster: Cluster, spec: ReceiverSpec, token: string, log: (line: string) => void, signal?: AbortSignal): Promise<DeployedReceiver> {
  const ns = spec.namespace;
  const created: ReceiverKind[] = [];
  let createdNamespace = false;
  try {
    createdNamespace = await ensureNamespace(cluster, ns, signal);
    const steps: [ReceiverKind, Record<string, unknown>][] = [
      ["secrets", tokenSecret(ns, token)],
      ["services", receiverService(ns, spec.port)],
      ["pods", receiverPod(spec)],
    ];
    for (const [kind, body] of steps) {
      await cluster.request({ method: "POST", path: `/api/v1/namespaces/${encodeURIComponent(ns)}/${kind}`, body, signal });
      created.push(kind);
    }
  } catch (e) {
    if (created.length > 0 || createdNamespace) {
      log("Partial failure, cleaning up...");
      // Not with the run's signal: an interrupted deploy must still take back what it made.
      for (const kind of created.reverse()) await deleteIgnoringMissing(cluster, objectPath(ns, kind)).catch(() => {});
      if (createdNamespace) await deleteIgnoringMissing(cluster, namespacePath(ns)).catch(() => {});
    }
    throw withContext("deploy receiver", e);
  }
  return { namespace: ns, port: spec.port, token, createdNamespace };
}

/** True when it had to be created. */
async function ensureNamespace(cluster: Cluster, ns: string, signal?: AbortSignal): Promise<boolean> {
  try {
    await cluster.request({ path: namespacePath(ns), signal });
    return false;
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
  await cluster.request({ method: "POST", path: "/api/v1/namespaces", body: namespaceObject(ns), signal });
  return true;
}
