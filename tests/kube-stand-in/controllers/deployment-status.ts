/**
 * A Deployment's status and conditions, as the real controller computes them (sync.go calculateStatus, progress.go,
 * deploymentutil) and as `kubectl rollout status` reads them: observedGeneration, replicas, updatedReplicas,
 * readyReplicas, availableReplicas, unavailableReplicas, and the `Available` and `Progressing` conditions with the
 * real reasons and messages.
 */

import type { KubeObject } from "../contract.ts";
import { metaTime } from "./cluster-clock.ts";
import { clone } from "./object-json.ts";
import { desiredReplicas, fenceposts } from "./deployment-scaling.ts";

export const Reason = {
  newReplicaSetCreated: "NewReplicaSetCreated",
  foundNewReplicaSet: "FoundNewReplicaSet",
  replicaSetUpdated: "ReplicaSetUpdated",
  newReplicaSetAvailable: "NewReplicaSetAvailable",
  timedOut: "ProgressDeadlineExceeded",
  minimumReplicasAvailable: "MinimumReplicasAvailable",
  minimumReplicasUnavailable: "MinimumReplicasUnavailable",
} as const;

export interface DeploymentCondition {
  type: string;
  status: "True" | "False" | "Unknown";
  lastUpdateTime: string;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

export function newCondition(type: string, status: DeploymentCondition["status"], reason: string, message: string, nowMs: number): DeploymentCondition {
  const t = metaTime(nowMs);
  return { type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message };
}

export function getCondition(status: any, type: string): DeploymentCondition | undefined {
  return (status?.conditions ?? []).find((c: DeploymentCondition) => c.type === type);
}

/** SetDeploymentCondition: same status and reason → nothing changes; same status → the transition time is kept. */
export function setCondition(status: any, condition: DeploymentCondition): boolean {
  const current = getCondition(status, condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason) return false;
  if (current && current.status === condition.status) condition.lastTransitionTime = current.lastTransitionTime;
  status.conditions = [...(status.conditions ?? []).filter((c: DeploymentCondition) => c.type !== condition.type), condition];
  return true;
}

export function removeCondition(status: any, type: string): void {
  if (!status.conditions) return;
  status.conditions = status.conditions.filter((c: DeploymentCondition) => c.type !== type);
  if (status.conditions.length === 0) delete status.conditions;
}

/** The deadline a Deployment has; undefined when it has none (`progressDeadlineSeconds` unset after defaulting is 600). */
export function progressDeadlineSeconds(d: KubeObject): number | undefined {
  const v = d.spec?.progressDeadlineSeconds ?? 600;
  return v === 2147483647 ? undefined : v;
}

/** calculateStatus: the counts from the ReplicaSets, and the Available condition. Zero counts are left out (omitempty). */
export function calculateStatus(d: KubeObject, allRSs: KubeObject[], newRS: KubeObject | undefined, nowMs: number): any {
  const total = (f: (rs: KubeObject) => number) => allRSs.reduce((n, rs) => n + f(rs), 0);
  const available = total((rs) => rs.status?.availableReplicas ?? 0);
  const counts: Record<string, number> = {
    observedGeneration: d.metadata.generation ?? 0,
    replicas: total((rs) => rs.status?.replicas ?? 0),
    updatedReplicas: newRS?.status?.replicas ?? 0,
    readyReplicas: total((rs) => rs.status?.readyReplicas ?? 0),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, total((rs) => rs.spec?.replicas ?? 0) - available),
  };
  const status: any = {};
  for (const [k, v] of Object.entries(counts)) if (v) status[k] = v;
  if (d.status?.conditions) status.conditions = clone(d.status.conditions);
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;

  const minAvailable = desiredReplicas(d) - fenceposts(d).unavailable;
  if (available >= minAvailable) setCondition(status, newCondition("Available", "True", Reason.minimumReplicasAvailable, "Deployment has minimum availability.", nowMs));
  else setCondition(status, newCondition("Available", "False", Reason.minimumReplicasUnavailable, "Deployment does not have minimum availability.", nowMs));
  return status;
}

/** deploymentutil.DeploymentComplete: every replica updated and available, no old ones left, generation observed. */
export function deploymentComplete(d: KubeObject, status: any): boolean {
  const want = desiredReplicas(d);
  return (
    (status.updatedReplicas ?? 0) === want &&
    (status.replicas ?? 0) === want &&
    (status.availableReplicas ?? 0) === want &&
    (status.observedGeneration ?? 0) >= (d.metadata.generation ?? 0)
  );
}

/** deploymentutil.DeploymentProgressing: more updated, ready or available pods than before, or fewer old ones. */
export function deploymentProgressing(d: KubeObject, status: any): boolean {
  const old = d.status ?? {};
  const n = (s: any, k: string) => s[k] ?? 0;
  return (
    n(status, "updatedReplicas") > n(old, "updatedReplicas") ||
    n(status, "replicas") - n(status, "updatedReplicas") < n(old, "replicas") - n(old, "updatedReplicas") ||
    n(status, "readyReplicas") > n(old, "readyReplicas") ||
    n(status, "availableReplicas") > n(old, "availableReplicas")
  );
}
