/**
 * Revision bookkeeping of the Deployment controller (deploymentutil): the `deployment.kubernetes.io/revision`
 * annotation on each ReplicaSet and on the Deployment, the revision history kept when an old ReplicaSet is reused
 * (a rollback), and the Deployment annotations copied onto its ReplicaSets.
 */

import type { KubeObject } from "../contract.ts";

export const REVISION = "deployment.kubernetes.io/revision";
export const REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
export const DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
export const MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";

/** Annotations that belong to the Deployment or to one ReplicaSet and are never copied between them. */
const NOT_COPIED = new Set([
  "kubectl.kubernetes.io/last-applied-configuration",
  REVISION,
  REVISION_HISTORY,
  DESIRED_REPLICAS,
  MAX_REPLICAS,
  "deployment.kubernetes.io/error-selector-overlapping-with",
  "deployment.kubernetes.io/selector-updated-at",
]);

export function revisionOf(o: KubeObject): number {
  const v = o.metadata.annotations?.[REVISION];
  const n = v === undefined ? 0 : Number.parseInt(v, 10);
  return Number.isFinite(n) ? n : 0;
}

export function maxRevision(replicaSets: KubeObject[]): number {
  return replicaSets.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
}

/**
 * SetNewReplicaSetAnnotations: copies the Deployment's annotations, raises the ReplicaSet's revision to
 * `newRevision` (recording the one it had in `revision-history` when it is being reused) and, for a ReplicaSet about
 * to be created, records desired and max replicas. Returns whether anything changed. Mutates `rs`.
 */
export function setNewReplicaSetAnnotations(d: KubeObject, rs: KubeObject, newRevision: number, exists: boolean, maxSurge: number): boolean {
  const ann = (rs.metadata.annotations ??= {});
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (NOT_COPIED.has(k) || ann[k] === v) continue;
    ann[k] = v;
    changed = true;
  }
  const old = ann[REVISION];
  // The real controller compares the revisions as strings; as numbers is what it means.
  if (old === undefined || Number(old) < newRevision) {
    ann[REVISION] = String(newRevision);
    changed = true;
    if (old !== undefined) ann[REVISION_HISTORY] = ann[REVISION_HISTORY] ? `${ann[REVISION_HISTORY]},${old}` : old;
  }
  if (!exists && setReplicasAnnotations(rs, d.spec?.replicas ?? 1, (d.spec?.replicas ?? 1) + maxSurge)) changed = true;
  return changed;
}

/** The desired/max replicas annotations a ReplicaSet carries while it is scaled by its Deployment. */
export function setReplicasAnnotations(rs: KubeObject, desired: number, max: number): boolean {
  const ann = (rs.metadata.annotations ??= {});
  let changed = false;
  if (ann[DESIRED_REPLICAS] !== String(desired)) {
    ann[DESIRED_REPLICAS] = String(desired);
    changed = true;
  }
  if (ann[MAX_REPLICAS] !== String(max)) {
    ann[MAX_REPLICAS] = String(max);
    changed = true;
  }
  return changed;
}
