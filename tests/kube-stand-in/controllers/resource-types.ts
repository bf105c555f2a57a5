/** The resource types the controllers and the kubelet act on, looked up once from the store's table. */

import type { ObjectStore, ResourceType } from "../contract.ts";

export interface WorkloadTypes {
  namespaces: ResourceType;
  nodes: ResourceType;
  pods: ResourceType;
  deployments: ResourceType;
  replicasets: ResourceType;
  statefulsets: ResourceType;
  daemonsets: ResourceType;
  /** Written when the store serves it (StatefulSet and DaemonSet history, as `kubectl rollout history` reads it). */
  controllerrevisions?: ResourceType;
}

export function workloadTypes(store: ObjectStore): WorkloadTypes {
  const need = (group: string, resource: string): ResourceType => {
    const t = store.resourceType(group, resource);
    if (!t) throw new Error(`the store does not serve ${group ? `${resource}.${group}` : resource}`);
    return t;
  };
  return {
    namespaces: need("", "namespaces"),
    nodes: need("", "nodes"),
    pods: need("", "pods"),
    deployments: need("apps", "deployments"),
    replicasets: need("apps", "replicasets"),
    statefulsets: need("apps", "statefulsets"),
    daemonsets: need("apps", "daemonsets"),
    controllerrevisions: store.resourceType("apps", "controllerrevisions"),
  };
}

export function sameType(a: ResourceType, b: ResourceType): boolean {
  return a.group === b.group && a.resource === b.resource;
}
