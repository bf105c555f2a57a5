/**
 * Asking the API server what the current user may do: one SelfSubjectAccessReview per distinct permission (what
 * `kubectl auth can-i` sends), namespaced ones in the namespace checked, cluster-scoped ones without a namespace —
 * a Role in the namespace cannot grant those, so asking in the namespace would answer a question nobody uses.
 */

import type { Cluster } from "../connect.ts";
import { permissionKey } from "./permissions.ts";
import type { Permission } from "../rbac-permission.ts";

interface AccessReview {
  status?: { allowed?: boolean; denied?: boolean; reason?: string };
}

const PATH = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";

export async function canI(cluster: Cluster, namespace: string, p: Permission, signal?: AbortSignal): Promise<boolean> {
  const [resource, subresource] = p.resource.split("/");
  const review = await cluster.request<AccessReview>({
    method: "POST",
    path: PATH,
    body: {
      apiVersion: "authorization.k8s.io/v1",
      kind: "SelfSubjectAccessReview",
      spec: { resourceAttributes: { namespace: p.cluster ? "" : namespace, verb: p.verb, group: p.group, resource, subresource } },
    },
    signal,
  });
  return review?.status?.allowed === true;
}

/** Every distinct permission of `perms` asked once (in parallel); the answers keyed by permissionKey. */
export async function reviewAll(cluster: Cluster, namespace: string, perms: readonly Permission[], signal?: AbortSignal): Promise<Map<string, boolean>> {
  const distinct = new Map<string, Permission>();
  for (const p of perms) if (!distinct.has(permissionKey(p))) distinct.set(permissionKey(p), p);
  const answers = await Promise.all([...distinct].map(async ([key, p]) => [key, await canI(cluster, namespace, p, signal)] as const));
  return new Map(answers);
}
