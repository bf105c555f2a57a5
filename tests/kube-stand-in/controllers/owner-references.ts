/** Controller references: how a ReplicaSet knows its pods and a Deployment its ReplicaSets (and how GC finds orphans). */

import type { KubeObject, OwnerReference } from "../contract.ts";

/** The reference a controller puts on what it creates: `controller: true`, `blockOwnerDeletion: true`, as the real ones do. */
export function controllerRefTo(owner: KubeObject): OwnerReference {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

export function controllerOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

export function isControlledBy(obj: KubeObject, owner: KubeObject): boolean {
  return controllerOf(obj)?.uid === owner.metadata.uid;
}

/** The objects of `candidates` that `owner` controls. */
export function controlledBy(owner: KubeObject, candidates: KubeObject[]): KubeObject[] {
  return candidates.filter((c) => isControlledBy(c, owner));
}
