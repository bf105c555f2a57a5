/**
 * The resources the stand-in serves, as discovery lists them (names, kinds, short names, verbs and subresources
 * copied from a real 1.31 API server's discovery), plus the facts the store needs per resource (does it track
 * `metadata.generation`, does it have a status subresource).
 */

import type { ResourceType } from "./contract.ts";

const CRUD = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

function r(
  group: string,
  version: string,
  resource: string,
  kind: string,
  o: { singular?: string; namespaced?: boolean; short?: string[]; verbs?: string[]; sub?: string[]; generation?: boolean; categories?: string[]; virtual?: boolean } = {},
): ResourceType {
  return {
    group,
    version,
    resource,
    singular: o.singular ?? kind.toLowerCase(),
    kind,
    listKind: `${kind}List`,
    namespaced: o.namespaced ?? true,
    shortNames: o.short ?? [],
    verbs: o.verbs ?? CRUD,
    subresources: o.sub ?? [],
    tracksGeneration: o.generation ?? false,
    categories: o.categories ?? [],
    virtual: o.virtual ?? false,
  };
}

/** Every served resource. Controllers and the kubelet look types up here (or through `store.resourceType`). */
export const RESOURCES: ResourceType[] = [
  // core/v1
  r("", "v1", "namespaces", "Namespace", { namespaced: false, short: ["ns"], verbs: ["create", "delete", "get", "list", "patch", "update", "watch"], sub: ["status", "finalize"] }),
  r("", "v1", "pods", "Pod", { short: ["po"], sub: ["status", "log", "proxy", "binding", "eviction"], categories: ["all"] }),
  r("", "v1", "services", "Service", { short: ["svc"], sub: ["status", "proxy"], categories: ["all"] }),
  r("", "v1", "configmaps", "ConfigMap", { short: ["cm"] }),
  r("", "v1", "secrets", "Secret"),
  r("", "v1", "serviceaccounts", "ServiceAccount", { short: ["sa"], sub: ["token"] }),
  r("", "v1", "nodes", "Node", { namespaced: false, short: ["no"], sub: ["status", "proxy"] }),
  r("", "v1", "resourcequotas", "ResourceQuota", { short: ["quota"], sub: ["status"] }),
  r("", "v1", "limitranges", "LimitRange", { short: ["limits"] }),
  r("", "v1", "events", "Event", { short: ["ev"] }),
  r("", "v1", "endpoints", "Endpoints", { singular: "endpoints", short: ["ep"] }),
  r("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", { short: ["pvc"], sub: ["status"] }),
  // apps/v1
  r("apps", "v1", "deployments", "Deployment", { short: ["deploy"], sub: ["status", "scale"], generation: true, categories: ["all"] }),
  r("apps", "v1", "replicasets", "ReplicaSet", { short: ["rs"], sub: ["status", "scale"], generation: true, categories: ["all"] }),
  r("apps", "v1", "statefulsets", "StatefulSet", { short: ["sts"], sub: ["status", "scale"], generation: true, categories: ["all"] }),
  r("apps", "v1", "daemonsets", "DaemonSet", { short: ["ds"], sub: ["status"], generation: true, categories: ["all"] }),
  r("apps", "v1", "controllerrevisions", "ControllerRevision"),
  // batch/v1: stored and served only (no job controller), so `recv --follow job/…` has a selector to resolve.
  r("batch", "v1", "jobs", "Job", { sub: ["status"], categories: ["all"] }),
  // rbac.authorization.k8s.io/v1
  r("rbac.authorization.k8s.io", "v1", "roles", "Role"),
  r("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding"),
  r("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", { namespaced: false }),
  r("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", { namespaced: false }),
  // Reviews: created and answered, never stored.
  r("authorization.k8s.io", "v1", "selfsubjectaccessreviews", "SelfSubjectAccessReview", { namespaced: false, verbs: ["create"], virtual: true }),
  r("authorization.k8s.io", "v1", "selfsubjectrulesreviews", "SelfSubjectRulesReview", { namespaced: false, verbs: ["create"], virtual: true }),
  r("authorization.k8s.io", "v1", "subjectaccessreviews", "SubjectAccessReview", { namespaced: false, verbs: ["create"], virtual: true }),
  r("authentication.k8s.io", "v1", "selfsubjectreviews", "SelfSubjectReview", { namespaced: false, verbs: ["create"], virtual: true }),
  r("authentication.k8s.io", "v1", "tokenreviews", "TokenReview", { namespaced: false, verbs: ["create"], virtual: true }),
];

/** Kinds and verbs of subresources as discovery lists them (`deployments/scale` is an autoscaling/v1 Scale). */
export const SUBRESOURCE_DISCOVERY: Record<string, { kind: string; verbs: string[]; group?: string; version?: string }> = {
  status: { kind: "", verbs: ["get", "patch", "update"] },
  scale: { kind: "Scale", verbs: ["get", "patch", "update"], group: "autoscaling", version: "v1" },
  log: { kind: "Pod", verbs: ["get"] },
  proxy: { kind: "", verbs: ["create", "delete", "get", "patch", "update"] },
  binding: { kind: "Binding", verbs: ["create"] },
  eviction: { kind: "Eviction", verbs: ["create"], group: "policy", version: "v1" },
  finalize: { kind: "Namespace", verbs: ["update"] },
  token: { kind: "TokenRequest", verbs: ["create"], group: "authentication.k8s.io", version: "v1" },
};

/** Proxy subresources are named after their options kind (ServiceProxyOptions), status after the resource's kind. */
export function subresourceKind(type: ResourceType, sub: string): string {
  const d = SUBRESOURCE_DISCOVERY[sub];
  if (!d) return type.kind;
  if (sub === "proxy") return `${type.kind}ProxyOptions`;
  return d.kind || type.kind;
}

export class ResourceTable {
  private byGroupResource = new Map<string, ResourceType>();
  private byGroupKind = new Map<string, ResourceType>();

  constructor(readonly types: ResourceType[] = RESOURCES) {
    for (const t of types) {
      this.byGroupResource.set(`${t.group}/${t.resource}`, t);
      this.byGroupKind.set(`${t.group}/${t.kind}`, t);
    }
  }

  get(group: string, resource: string): ResourceType | undefined {
    return this.byGroupResource.get(`${group}/${resource}`);
  }

  /** By apiVersion ("apps/v1", "v1") and kind, as ownerReferences and RBAC role refs name things. */
  byKind(apiVersionOrGroup: string, kind: string): ResourceType | undefined {
    const group = apiVersionOrGroup.includes("/") ? apiVersionOrGroup.split("/")[0] : apiVersionOrGroup === "v1" ? "" : apiVersionOrGroup;
    return this.byGroupKind.get(`${group}/${kind}`);
  }

  /** Group → versions served, in discovery order. */
  groups(): { group: string; versions: string[] }[] {
    const out: { group: string; versions: string[] }[] = [];
    for (const t of this.types) {
      let g = out.find((x) => x.group === t.group);
      if (!g) out.push((g = { group: t.group, versions: [] }));
      if (!g.versions.includes(t.version)) g.versions.push(t.version);
    }
    return out;
  }

  inGroupVersion(group: string, version: string): ResourceType[] {
    return this.types.filter((t) => t.group === group && t.version === version);
  }
}
