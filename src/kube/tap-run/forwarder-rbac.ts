/**
 * The forwarder's permissions (§22.3 step 9): Role `logtap-forwarder` (read pods and their logs) and RoleBinding
 * `logtap-forwarder` for the service accounts of the tapped pod templates, in the workloads' namespace. Every change
 * is conditional on the version read (created when absent, else read-modify-write), so two taps at once, or an
 * operator editing the binding, never lose each other's subjects. untap removes both once nothing in the namespace is
 * tapped any more (§22.5), deleting with the version read as precondition.
 */

import type { Cluster } from "../connect.ts";
import { isConflict, isNotFound } from "../errors/kube-error.ts";
import type { KubeObject } from "../streams/watch.ts";
import { MANAGED_BY_LABEL } from "../tap/names.ts";
import type { Workload } from "../tap/workload.ts";
import { withContext } from "../workloads/wrap-error.ts";

export const FORWARDER_RBAC_NAME = "logtap-forwarder";
const RBAC_GROUP = "rbac.authorization.k8s.io";
const RULES = [{ apiGroups: [""], resources: ["pods", "pods/log"], verbs: ["get", "list", "watch"] }];
const ATTEMPTS = 5;

interface Subject {
  kind: string;
  name: string;
  namespace?: string;
  apiGroup?: string;
}

type Role = KubeObject & { rules?: unknown };
type RoleBinding = KubeObject & { roleRef?: { apiGroup?: string; kind?: string; name?: string }; subjects?: Subject[] };

const path = (namespace: string, plural: "roles" | "rolebindings", name?: string) =>
  `/apis/${RBAC_GROUP}/v1/namespaces/${encodeURIComponent(namespace)}/${plural}${name === undefined ? "" : `/${name}`}`;

/** The service account a pod template runs as (`default` when unset). */
export function serviceAccountOf(w: Workload): string {
  const spec = w.spec.template.spec as { serviceAccountName?: string; serviceAccount?: string };
  return spec.serviceAccountName || spec.serviceAccount || "default";
}

/**
 * Creates the object, or changes the existing one with its resourceVersion as precondition; a create that loses a
 * race (409 AlreadyExists) becomes an update on the next try.
 */
async function upsert<T extends KubeObject>(cluster: Cluster, listPath: string, fresh: T, change: (current: T) => T | undefined, signal?: AbortSignal): Promise<"created" | "updated" | "unchanged"> {
  const name = fresh.metadata!.name!;
  for (let attempt = 1; ; attempt++) {
    try {
      const r = await cluster.readModifyWrite<T>(`${listPath}/${name}`, change, { signal });
      return r.changed ? "updated" : "unchanged";
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    try {
      await cluster.request({ method: "POST", path: listPath, query: { fieldManager: "logtap" }, body: fresh, signal });
      return "created";
    } catch (e) {
      if (!isConflict(e) || attempt >= ATTEMPTS) throw e;
    }
  }
}

/** Makes sure the Role and the RoleBinding exist and bind every one of `serviceAccounts`. */
export async function ensureForwarderRbac(cluster: Cluster, namespace: string, serviceAccounts: readonly string[], signal?: AbortSignal): Promise<void> {
  const labels = { [MANAGED_BY_LABEL]: "logtap" };
  const role: Role = { apiVersion: `${RBAC_GROUP}/v1`, kind: "Role", metadata: { name: FORWARDER_RBAC_NAME, namespace, labels }, rules: RULES };
  try {
    await upsert<Role>(cluster, path(namespace, "roles"), role, (current) => ({ ...current, rules: RULES }), signal);
  } catch (e) {
    throw withContext("ensure forwarder RBAC", e);
  }
  const wanted: Subject[] = [...new Set(serviceAccounts)].sort().map((name) => ({ kind: "ServiceAccount", name, namespace }));
  const binding: RoleBinding = {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: "RoleBinding",
    metadata: { name: FORWARDER_RBAC_NAME, namespace, labels },
    roleRef: { apiGroup: RBAC_GROUP, kind: "Role", name: FORWARDER_RBAC_NAME },
    subjects: wanted,
  };
  const merge = (current: RoleBinding): RoleBinding => {
    const subjects = [...(current.subjects ?? [])];
    for (const s of wanted) if (!subjects.some((x) => x.name === s.name && (x.namespace ?? namespace) === s.namespace)) subjects.push(s);
    return { ...current, subjects };
  };
  try {
    await upsert<RoleBinding>(cluster, path(namespace, "rolebindings"), binding, merge, signal);
  } catch (e) {
    throw withContext("ensure forwarder RBAC", e);
  }
}

/** Deletes one object with the version just read as precondition; gone already is fine. */
async function deleteExact(cluster: Cluster, objectPath: string, signal?: AbortSignal): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    let current: KubeObject;
    try {
      current = await cluster.request<KubeObject>({ path: objectPath, signal });
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    try {
      await cluster.request({
        method: "DELETE",
        path: objectPath,
        body: { apiVersion: "v1", kind: "DeleteOptions", preconditions: { resourceVersion: current.metadata?.resourceVersion } },
        signal,
      });
      return;
    } catch (e) {
      if (isNotFound(e)) return;
      if (!isConflict(e) || attempt >= ATTEMPTS) throw e;
    }
  }
}

/** Removes the RoleBinding, then the Role; returns the warning line when that failed (§22.5), else null. */
export async function removeForwarderRbac(cluster: Cluster, namespace: string, signal?: AbortSignal): Promise<string | null> {
  try {
    await deleteExact(cluster, path(namespace, "rolebindings", FORWARDER_RBAC_NAME), signal);
    await deleteExact(cluster, path(namespace, "roles", FORWARDER_RBAC_NAME), signal);
    return null;
  } catch (e) {
    return `Warning: could not clean up forwarder RBAC: ${(e as Error).message}`;
  }
}
