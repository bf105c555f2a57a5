/**
 * The forwarder's own pod, read once at start through the pod's service account (a refusal names the Role tap
 * creates): which containers to read (§23.2) — `spec.containers` except the forwarders (names starting
 * `logtap-forwarder-`, so two sessions never read each other), no init or ephemeral containers — and its app label.
 */

import type { Cluster } from "../src/kube/connect.ts";
import { KubeApiError } from "../src/kube/errors/kube-error.ts";
import { SIDECAR_PREFIX } from "../src/kube/tap/names.ts";
import { FORWARDER_RBAC_NAME } from "../src/kube/tap-run/forwarder-rbac.ts";
import { appOf } from "./labels.ts";

/** Fatal at start-up: printed, exit 1 (the kubelet restarts the sidecar, which shows in the pod's status). */
export class ForwarderStartError extends Error {}

interface PodView {
  metadata?: { labels?: Record<string, string> };
  spec?: { containers?: { name: string }[] };
}

export interface OwnPodInfo {
  containers: string[];
  app?: string;
}

export function siblingNames(pod: PodView): string[] {
  return (pod.spec?.containers ?? []).map((c) => c.name).filter((n) => !n.startsWith(SIDECAR_PREFIX));
}

/** Upstream's wait before a failed request is made again (§23.2). */
export const RETRY_MS = 2_000;

/**
 * Reads the own pod; an API server that cannot be reached or answers 5xx is asked again every 2 s (a pod can start
 * before its network is up), while a 4xx is final.
 */
export async function readOwnPod(cluster: Cluster, namespace: string, pod: string, log: (line: string) => void, signal?: AbortSignal): Promise<OwnPodInfo> {
  const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}`;
  for (;;) {
    try {
      const object = await cluster.request<PodView>({ path, signal });
      const containers = siblingNames(object);
      if (containers.length === 0) throw new ForwarderStartError("no sibling containers found");
      return { containers, app: appOf(object.metadata?.labels) };
    } catch (e) {
      if (e instanceof ForwarderStartError || signal?.aborted) throw e;
      const message = `get own pod ${namespace}/${pod}: ${(e as Error).message}`;
      if (e instanceof KubeApiError && e.status < 500) {
        const hint = e.status === 403 ? ` (the forwarder's service account needs Role ${FORWARDER_RBAC_NAME}: get, list and watch on pods and pods/log; tap creates it)` : "";
        throw new ForwarderStartError(message + hint);
      }
      log(`${message}, retrying in ${RETRY_MS / 1000}s`);
      await Bun.sleep(RETRY_MS);
    }
  }
}
