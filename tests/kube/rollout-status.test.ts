/**
 * The rollout rules of src/kube/rollout: kubectl rollout status's decisions and messages per kind (its
 * rollout_status.go, case by case), the pod states that fail a rollout at once or explain a timeout, and
 * selectors turned into list queries.
 */

import { describe, expect, test } from "bun:test";
import { selectorText } from "../../src/kube/rollout/label-selector.ts";
import { podDiagnosis, podFailure, type Pod } from "../../src/kube/rollout/pod-problems.ts";
import { rolloutState } from "../../src/kube/rollout/status.ts";
import type { Workload } from "../../src/kube/tap/workload.ts";

function w(kind: string, spec: Record<string, unknown>, status: Record<string, unknown>, generation = 2): Workload {
  return { kind, metadata: { name: "web", generation }, spec: { template: { spec: { containers: [] } }, ...spec }, status } as Workload;
}

describe("Deployment", () => {
  const d = (spec: Record<string, unknown>, status: Record<string, unknown>, generation = 2) => rolloutState(w("Deployment", { replicas: 3, ...spec }, { observedGeneration: 2, ...status }, generation));
  test("the spec change is not observed yet", () => {
    expect(d({}, { observedGeneration: 1 })).toEqual({ state: "progressing", message: "Waiting for deployment spec update to be observed..." });
  });
  test("new replicas being updated, old ones pending termination, updated ones not available", () => {
    expect(d({}, { updatedReplicas: 1, replicas: 4 }).message).toBe('Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...');
    expect(d({}, { updatedReplicas: 3, replicas: 4 }).message).toBe('Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...');
    expect(d({}, { updatedReplicas: 3, replicas: 3, availableReplicas: 2 }).message).toBe('Waiting for deployment "web" rollout to finish: 2 of 3 updated replicas are available...');
  });
  test("complete", () => {
    expect(d({}, { updatedReplicas: 3, replicas: 3, availableReplicas: 3 })).toEqual({ state: "done", message: 'deployment "web" successfully rolled out' });
    // spec.replicas defaults to 1, and 0 replicas are done at once.
    expect(rolloutState(w("Deployment", {}, { observedGeneration: 2, updatedReplicas: 1, replicas: 1, availableReplicas: 1 })).state).toBe("done");
    expect(d({ replicas: 0 }, {}).state).toBe("done");
  });
  test("past its progress deadline: failed", () => {
    const conditions = [{ type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded" }];
    expect(d({}, { updatedReplicas: 1, replicas: 3, conditions })).toEqual({ state: "failed", message: 'deployment "web" exceeded its progress deadline' });
  });
  test("paused: nothing to wait for", () => {
    expect(d({ paused: true }, {}).state).toBe("unwaitable");
  });
});

describe("StatefulSet", () => {
  const s = (spec: Record<string, unknown>, status: Record<string, unknown>) => rolloutState(w("StatefulSet", { replicas: 3, ...spec }, { observedGeneration: 2, ...status }));
  test("not observed, pods not ready, revisions differing, complete", () => {
    expect(s({}, { observedGeneration: 0 }).message).toBe("Waiting for statefulset spec update to be observed...");
    expect(s({}, { readyReplicas: 1 }).message).toBe("Waiting for 2 pods to be ready...");
    expect(s({}, { readyReplicas: 3, updatedReplicas: 1, updateRevision: "web-2", currentRevision: "web-1" }).message).toBe(
      "waiting for statefulset rolling update to complete 1 pods at revision web-2...",
    );
    expect(s({}, { readyReplicas: 3, currentReplicas: 3, updateRevision: "web-2", currentRevision: "web-2" })).toEqual({
      state: "done",
      message: "statefulset rolling update complete 3 pods at revision web-2...",
    });
  });
  test("a partition: done once the pods above it are updated", () => {
    const spec = { updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 1 } } };
    expect(s(spec, { readyReplicas: 3, updatedReplicas: 1 }).message).toBe("Waiting for partitioned roll out to finish: 1 out of 2 new pods have been updated...");
    expect(s(spec, { readyReplicas: 3, updatedReplicas: 2 })).toEqual({ state: "done", message: "partitioned roll out complete: 2 new pods have been updated..." });
  });
  test("OnDelete: nothing to wait for", () => {
    expect(s({ updateStrategy: { type: "OnDelete" } }, {}).state).toBe("unwaitable");
  });
});

describe("DaemonSet", () => {
  const ds = (spec: Record<string, unknown>, status: Record<string, unknown>, generation = 2) => rolloutState(w("DaemonSet", spec, { observedGeneration: 2, desiredNumberScheduled: 2, ...status }, generation));
  test("not observed, pods being updated, not available, complete", () => {
    expect(ds({}, { observedGeneration: 1 }).message).toBe("Waiting for daemon set spec update to be observed...");
    expect(ds({}, { updatedNumberScheduled: 1 }).message).toBe('Waiting for daemon set "web" rollout to finish: 1 out of 2 new pods have been updated...');
    expect(ds({}, { updatedNumberScheduled: 2, numberAvailable: 1 }).message).toBe('Waiting for daemon set "web" rollout to finish: 1 of 2 updated pods are available...');
    expect(ds({}, { updatedNumberScheduled: 2, numberAvailable: 2 })).toEqual({ state: "done", message: 'daemon set "web" successfully rolled out' });
  });
  test("OnDelete: nothing to wait for", () => {
    expect(ds({ updateStrategy: { type: "OnDelete" } }, {}).state).toBe("unwaitable");
  });
});

describe("pods", () => {
  const pod = (status: Pod["status"], extra: Partial<Pod["metadata"]> = {}): Pod => ({ metadata: { name: "web-1", ...extra }, status });
  const waiting = (reason: string, message?: string) => ({ name: "logtap-forwarder-x", ready: false, state: { waiting: { reason, message } } });

  test("a container that cannot come up without help fails the rollout, naming pod, container and reason", () => {
    expect(podFailure(pod({ phase: "Pending", initContainerStatuses: [waiting("ImagePullBackOff", 'Back-off pulling image "x:never-pulls"')] }))).toBe(
      'pod web-1: container logtap-forwarder-x ImagePullBackOff: Back-off pulling image "x:never-pulls"',
    );
    expect(podFailure(pod({ phase: "Running", containerStatuses: [waiting("CrashLoopBackOff")] }))).toBe("pod web-1: container logtap-forwarder-x CrashLoopBackOff");
    expect(podFailure(pod({ phase: "Pending", containerStatuses: [waiting("CreateContainerConfigError", "secret missing")] }))).toContain("CreateContainerConfigError");
  });

  test("states that may still resolve do not fail it (ErrImagePull is retried, ContainerCreating is normal), nor does a pod being deleted", () => {
    expect(podFailure(pod({ phase: "Pending", containerStatuses: [waiting("ErrImagePull")] }))).toBeNull();
    expect(podFailure(pod({ phase: "Pending", containerStatuses: [waiting("ContainerCreating")] }))).toBeNull();
    expect(podFailure(pod({ containerStatuses: [waiting("CrashLoopBackOff")] }, { deletionTimestamp: "2026-01-01T00:00:00Z" }))).toBeNull();
  });

  test("diagnosis of a pod that is not ready: unscheduled, waiting, not ready; none for a ready pod", () => {
    expect(podDiagnosis(pod({ phase: "Pending", conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable", message: "0/2 nodes are available" }] }))).toBe(
      "pod web-1 is not scheduled: Unschedulable: 0/2 nodes are available",
    );
    expect(podDiagnosis(pod({ phase: "Pending", containerStatuses: [waiting("ContainerCreating")] }))).toBe("pod web-1: container logtap-forwarder-x ContainerCreating");
    expect(podDiagnosis(pod({ phase: "Running", containerStatuses: [{ name: "app", ready: false, state: {} }] }))).toBe("pod web-1: container app is not ready");
    expect(podDiagnosis(pod({ phase: "Running", conditions: [{ type: "Ready", status: "True" }] }))).toBeNull();
  });
});

test("selectors: matchLabels and every matchExpressions operator", () => {
  expect(
    selectorText({
      matchLabels: { app: "web", tier: "front" },
      matchExpressions: [
        { key: "env", operator: "In", values: ["a", "b"] },
        { key: "zone", operator: "NotIn", values: ["x"] },
        { key: "canary", operator: "Exists" },
        { key: "legacy", operator: "DoesNotExist" },
      ],
    }),
  ).toBe("app=web,tier=front,env in (a,b),zone notin (x),canary,!legacy");
  expect(selectorText(undefined)).toBe("");
});
