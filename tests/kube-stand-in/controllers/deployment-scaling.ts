/**
 * How many pods each of a Deployment's ReplicaSets should have next (pkg/controller/deployment rolling.go,
 * recreate.go, deploymentutil.NewRSNewReplicas): scale the new ReplicaSet up within maxSurge, scale old ones down
 * while keeping `replicas - maxUnavailable` available, unhealthy old pods first. Pure: reads spec and status counts,
 * returns the new `spec.replicas` per ReplicaSet name.
 */

import type { KubeObject } from "../contract.ts";
import { resolveFenceposts } from "./int-or-percent.ts";

const specReplicas = (rs: KubeObject | undefined): number => rs?.spec?.replicas ?? 0;
const availableReplicas = (rs: KubeObject | undefined): number => rs?.status?.availableReplicas ?? 0;
const sum = (list: KubeObject[], f: (rs: KubeObject) => number): number => list.reduce((n, rs) => n + f(rs), 0);

export function desiredReplicas(d: KubeObject): number {
  return d.spec?.replicas ?? 1;
}

export function isRecreate(d: KubeObject): boolean {
  return d.spec?.strategy?.type === "Recreate";
}

export function fenceposts(d: KubeObject): { surge: number; unavailable: number } {
  if (isRecreate(d)) return { surge: 0, unavailable: 0 };
  const ru = d.spec?.strategy?.rollingUpdate ?? {};
  return resolveFenceposts(ru.maxSurge, ru.maxUnavailable, desiredReplicas(d));
}

/** NewRSNewReplicas: the new ReplicaSet's next size. */
export function newReplicaSetReplicas(d: KubeObject, allRSs: KubeObject[], newRS: KubeObject | undefined): number {
  const desired = desiredReplicas(d);
  if (isRecreate(d)) return desired;
  const current = specReplicas(newRS);
  const maxTotal = desired + fenceposts(d).surge;
  const total = sum(allRSs, specReplicas);
  if (total >= maxTotal) return current;
  return current + Math.max(0, Math.min(maxTotal - total, desired - current));
}

/**
 * reconcileOldReplicaSets: the old ReplicaSets' next sizes (only those that change), or an empty map when none may be
 * scaled down yet. `oldRSs` are the active old ReplicaSets, oldest first.
 */
export function scaleDownOld(d: KubeObject, allRSs: KubeObject[], oldRSs: KubeObject[], newRS: KubeObject | undefined): Map<string, number> {
  const out = new Map<string, number>();
  if (sum(oldRSs, specReplicas) === 0) return out;
  const desired = desiredReplicas(d);
  const minAvailable = desired - fenceposts(d).unavailable;
  const newUnavailable = specReplicas(newRS) - availableReplicas(newRS);
  const maxScaledDown = sum(allRSs, specReplicas) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return out;

  // cleanupUnhealthyReplicas: old pods that are not available go first, they cost no availability.
  const size = new Map(oldRSs.map((rs) => [rs.metadata.name!, specReplicas(rs)]));
  let cleaned = 0;
  for (const rs of oldRSs) {
    if (cleaned >= maxScaledDown) break;
    const current = size.get(rs.metadata.name!)!;
    if (current === 0 || current <= availableReplicas(rs)) continue;
    const down = Math.min(maxScaledDown - cleaned, current - availableReplicas(rs));
    size.set(rs.metadata.name!, current - down);
    cleaned += down;
  }

  // scaleDownOldReplicaSetsForRollingUpdate: then available ones, as long as minAvailable stays available (the real
  // controller bounds this phase by availability alone, not by what is left of maxScaledDown).
  let totalDown = sum(allRSs, availableReplicas) - minAvailable;
  for (const rs of oldRSs) {
    if (totalDown <= 0) break;
    const current = size.get(rs.metadata.name!)!;
    if (current === 0) continue;
    const down = Math.min(current, totalDown);
    size.set(rs.metadata.name!, current - down);
    totalDown -= down;
  }
  for (const rs of oldRSs) if (size.get(rs.metadata.name!) !== specReplicas(rs)) out.set(rs.metadata.name!, size.get(rs.metadata.name!)!);
  return out;
}
