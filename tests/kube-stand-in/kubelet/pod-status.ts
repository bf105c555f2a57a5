/**
 * A pod's status from its containers' states, as the kubelet computes it (kubelet_pods.go getPhase and the
 * status manager's conditions): phase, the conditions PodReadyToStartContainers, Initialized, Ready,
 * ContainersReady and PodScheduled (with the real reasons and "containers with ... status: [a b]" messages), IPs,
 * startTime, initContainerStatuses and containerStatuses. Transition times are kept while a condition's status
 * stays the same.
 */

import type { KubeObject } from "../contract.ts";
import { metaTime } from "../controllers/cluster-clock.ts";
import { type ContainerState, containerStatusJson } from "./container-state.ts";

export interface PodRuntimeView {
  containers: ContainerState[];
  sandboxReady: boolean;
  hostIP?: string;
  podIP?: string;
  startTime?: string;
  /** All containers stopped for good (the pod is being deleted, or finished under restartPolicy Never/OnFailure). */
  terminal: boolean;
  /** Init done once: the app containers were started. A sidecar restarting later does not undo it. */
  initialized: boolean;
}

/** kubelet getPhase. */
export function podPhase(pod: KubeObject, view: PodRuntimeView): string {
  const restartPolicy = pod.spec?.restartPolicy ?? "Always";
  const inits = view.containers.filter((c) => c.kind === "init");
  const apps = view.containers.filter((c) => c.kind === "app");
  const failedInit = inits.some((c) => c.state.terminated && c.state.terminated.exitCode !== 0);
  if (failedInit && restartPolicy === "Never") return "Failed";
  const pendingInit = !view.initialized && (inits.some((c) => !(c.state.terminated && c.state.terminated.exitCode === 0)) || view.containers.some((c) => c.kind === "sidecar" && !c.started));
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of apps) {
    if (c.state.running) running++;
    else if (c.state.terminated) {
      stopped++;
      if (c.state.terminated.exitCode === 0) succeeded++;
    } else if (c.lastState.terminated) stopped++;
    else waiting++;
  }
  if (pendingInit && !view.terminal) return "Pending";
  if (waiting > 0) return "Pending";
  if (running > 0) return "Running";
  if (stopped > 0) {
    if (view.terminal) return stopped === succeeded ? "Succeeded" : "Failed";
    if (restartPolicy === "Always") return "Running";
    if (stopped === succeeded) return "Succeeded";
    if (restartPolicy === "Never") return "Failed";
    return "Running";
  }
  return "Pending";
}

interface Condition {
  type: string;
  status: "True" | "False";
  reason?: string;
  message?: string;
}

function conditions(pod: KubeObject, view: PodRuntimeView): Condition[] {
  const names = (cs: ContainerState[]) => `[${cs.map((c) => c.name).join(" ")}]`;
  const inits = view.containers.filter((c) => c.kind === "init" || c.kind === "sidecar");
  const incompleteInit = view.initialized ? [] : inits.filter((c) => (c.kind === "sidecar" ? !c.started : !(c.state.terminated && c.state.terminated.exitCode === 0)));
  const unready = view.containers.filter((c) => (c.kind === "app" || c.kind === "sidecar") && !c.ready);
  const out: Condition[] = [{ type: "PodReadyToStartContainers", status: view.sandboxReady ? "True" : "False" }];
  out.push(incompleteInit.length ? { type: "Initialized", status: "False", reason: "ContainersNotInitialized", message: `containers with incomplete status: ${names(incompleteInit)}` } : { type: "Initialized", status: "True" });
  const ready: Condition = unready.length ? { type: "Ready", status: "False", reason: "ContainersNotReady", message: `containers with unready status: ${names(unready)}` } : { type: "Ready", status: "True" };
  if (view.terminal && podPhase(pod, view) !== "Running") Object.assign(ready, { status: "False", reason: "PodCompleted", message: undefined });
  out.push(ready, { ...ready, type: "ContainersReady" });
  return out;
}

/** The status to write, given the stored pod (for its PodScheduled condition, qosClass and earlier transition times). */
export function podStatus(pod: KubeObject, view: PodRuntimeView, nowMs: number): any {
  const previous: any[] = pod.status?.conditions ?? [];
  const stamp = (c: Condition) => {
    const before = previous.find((p) => p.type === c.type);
    const out: Record<string, unknown> = { type: c.type, status: c.status, lastProbeTime: null, lastTransitionTime: before && before.status === c.status ? before.lastTransitionTime : metaTime(nowMs) };
    if (c.reason) out.reason = c.reason;
    if (c.message) out.message = c.message;
    return out;
  };
  const conds = conditions(pod, view).map(stamp);
  const scheduled = previous.find((p) => p.type === "PodScheduled");
  if (scheduled) conds.push(scheduled);
  const status: any = { phase: podPhase(pod, view), conditions: conds };
  if (view.hostIP) Object.assign(status, { hostIP: view.hostIP, hostIPs: [{ ip: view.hostIP }] });
  if (view.podIP) Object.assign(status, { podIP: view.podIP, podIPs: [{ ip: view.podIP }] });
  if (view.startTime) status.startTime = view.startTime;
  const inits = view.containers.filter((c) => c.kind !== "app");
  if (inits.length) status.initContainerStatuses = inits.map(containerStatusJson);
  status.containerStatuses = view.containers.filter((c) => c.kind === "app").map(containerStatusJson);
  if (pod.status?.qosClass) status.qosClass = pod.status.qosClass;
  return status;
}
