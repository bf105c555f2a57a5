/**
 * Whether a workload's rollout is complete, by the rules and with the messages of `kubectl rollout status`
 * (kubectl pkg/polymorphichelpers/rollout_status.go), read from the object alone. A Deployment past its progress
 * deadline is a failure; a StatefulSet or DaemonSet with the OnDelete strategy, or a paused Deployment, never rolls
 * out by itself, so there is nothing to wait for (`unwaitable`).
 */

import type { Workload } from "../tap/workload.ts";

export type RolloutState =
  | { state: "done"; message: string }
  | { state: "progressing"; message: string }
  | { state: "failed"; message: string }
  | { state: "unwaitable"; message: string };

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}

type Status = Record<string, unknown> & { conditions?: Condition[] };

const num = (v: unknown): number => (typeof v === "number" ? v : 0);

function parts(w: Workload) {
  const spec = w.spec as Record<string, any>;
  const status = (w.status ?? {}) as Status;
  const generation = num((w.metadata as { generation?: unknown }).generation);
  return { spec, status, generation, observed: num(status.observedGeneration), name: w.metadata.name };
}

function deployment(w: Workload): RolloutState {
  const { spec, status, generation, observed, name } = parts(w);
  if (spec.paused === true) return { state: "unwaitable", message: `deployment "${name}" is paused: its pods change when it is resumed` };
  if (generation > observed) return { state: "progressing", message: "Waiting for deployment spec update to be observed..." };
  const progressing = status.conditions?.find((c) => c.type === "Progressing");
  if (progressing?.reason === "ProgressDeadlineExceeded") return { state: "failed", message: `deployment "${name}" exceeded its progress deadline` };
  const replicas = typeof spec.replicas === "number" ? spec.replicas : 1;
  const updated = num(status.updatedReplicas);
  if (updated < replicas) {
    return { state: "progressing", message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${replicas} new replicas have been updated...` };
  }
  if (num(status.replicas) > updated) {
    return { state: "progressing", message: `Waiting for deployment "${name}" rollout to finish: ${num(status.replicas) - updated} old replicas are pending termination...` };
  }
  if (num(status.availableReplicas) < updated) {
    return { state: "progressing", message: `Waiting for deployment "${name}" rollout to finish: ${num(status.availableReplicas)} of ${updated} updated replicas are available...` };
  }
  return { state: "done", message: `deployment "${name}" successfully rolled out` };
}

function statefulSet(w: Workload): RolloutState {
  const { spec, status, generation, observed, name } = parts(w);
  if ((spec.updateStrategy?.type ?? "RollingUpdate") !== "RollingUpdate") {
    return { state: "unwaitable", message: `statefulset "${name}" uses the OnDelete strategy: its pods change only when deleted` };
  }
  if (observed === 0 || generation > observed) return { state: "progressing", message: "Waiting for statefulset spec update to be observed..." };
  const replicas = typeof spec.replicas === "number" ? spec.replicas : 1;
  const ready = num(status.readyReplicas);
  if (ready < replicas) return { state: "progressing", message: `Waiting for ${replicas - ready} pods to be ready...` };
  const partition = spec.updateStrategy?.rollingUpdate?.partition;
  if (spec.updateStrategy?.rollingUpdate !== undefined && typeof partition === "number") {
    const updated = num(status.updatedReplicas);
    if (updated < replicas - partition) {
      return { state: "progressing", message: `Waiting for partitioned roll out to finish: ${updated} out of ${replicas - partition} new pods have been updated...` };
    }
    return { state: "done", message: `partitioned roll out complete: ${updated} new pods have been updated...` };
  }
  if (status.updateRevision !== status.currentRevision) {
    return { state: "progressing", message: `waiting for statefulset rolling update to complete ${num(status.updatedReplicas)} pods at revision ${String(status.updateRevision)}...` };
  }
  return { state: "done", message: `statefulset rolling update complete ${num(status.currentReplicas)} pods at revision ${String(status.currentRevision)}...` };
}

function daemonSet(w: Workload): RolloutState {
  const { spec, status, generation, observed, name } = parts(w);
  if ((spec.updateStrategy?.type ?? "RollingUpdate") !== "RollingUpdate") {
    return { state: "unwaitable", message: `daemon set "${name}" uses the OnDelete strategy: its pods change only when deleted` };
  }
  if (generation > observed) return { state: "progressing", message: "Waiting for daemon set spec update to be observed..." };
  const desired = num(status.desiredNumberScheduled);
  const updated = num(status.updatedNumberScheduled);
  if (updated < desired) {
    return { state: "progressing", message: `Waiting for daemon set "${name}" rollout to finish: ${updated} out of ${desired} new pods have been updated...` };
  }
  const available = num(status.numberAvailable);
  if (available < desired) {
    return { state: "progressing", message: `Waiting for daemon set "${name}" rollout to finish: ${available} of ${desired} updated pods are available...` };
  }
  return { state: "done", message: `daemon set "${name}" successfully rolled out` };
}

export function rolloutState(w: Workload): RolloutState {
  if (w.kind === "Deployment") return deployment(w);
  if (w.kind === "StatefulSet") return statefulSet(w);
  if (w.kind === "DaemonSet") return daemonSet(w);
  return { state: "unwaitable", message: `no rollout status for kind ${w.kind}` };
}
