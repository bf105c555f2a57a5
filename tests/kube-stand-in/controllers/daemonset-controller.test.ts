/**
 * The DaemonSet controller with the kubelet: one pod per node (pinned by node affinity, scheduled there), the
 * counts `kubectl rollout status` reads, a rolling update bounded by maxUnavailable, and nodes coming and going.
 */

import { afterEach, describe, expect, test } from "bun:test";
import type { KubeObject } from "../contract.ts";
import { type InProcessCluster, inProcessCluster } from "./testing/in-process-cluster.ts";

let cluster: InProcessCluster;
afterEach(() => cluster?.stop());

function daemonSet(name: string, opts: { nodeSelector?: Record<string, string>; updateStrategy?: any } = {}): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name, namespace: "default" },
    spec: {
      selector: { matchLabels: { app: name } },
      ...(opts.updateStrategy ? { updateStrategy: opts.updateStrategy } : {}),
      template: { metadata: { labels: { app: name } }, spec: { ...(opts.nodeSelector ? { nodeSelector: opts.nodeSelector } : {}), containers: [{ name: "agent", image: "agent:1" }] } },
    },
  };
}

function dsRolledOut(ds: KubeObject | undefined): boolean {
  const s = ds?.status;
  if (!s || (ds!.metadata.generation ?? 0) > (s.observedGeneration ?? 0)) return false;
  return (s.updatedNumberScheduled ?? 0) >= s.desiredNumberScheduled && (s.numberAvailable ?? 0) >= s.desiredNumberScheduled;
}

describe("DaemonSet", () => {
  test("runs one pod on each of the two nodes and reports the counts", async () => {
    cluster = inProcessCluster();
    cluster.create(daemonSet("agent"));
    await cluster.waitFor("rolled out", () => dsRolledOut(cluster.get("daemonsets", "agent")));
    const ds = cluster.get("daemonsets", "agent")!;
    expect(ds.status).toEqual({ currentNumberScheduled: 2, numberMisscheduled: 0, desiredNumberScheduled: 2, numberReady: 2, observedGeneration: 1, updatedNumberScheduled: 2, numberAvailable: 2 });
    const pods = cluster.list("pods");
    expect(pods.map((p) => p.spec.nodeName).sort()).toEqual(["stand-in-node-1", "stand-in-node-2"]);
    for (const p of pods) {
      expect(p.metadata.name).toMatch(/^agent-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(p.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([{ matchFields: [{ key: "metadata.name", operator: "In", values: [p.spec.nodeName] }] }]);
      expect(p.spec.tolerations.map((t: any) => t.key)).toContain("node.kubernetes.io/unschedulable");
      expect(p.metadata.labels?.["pod-template-generation"]).toBe("1");
    }
  });

  test("a template change replaces the pods one node at a time (maxUnavailable 1)", async () => {
    cluster = inProcessCluster({ nodes: [{ name: "n1" }, { name: "n2" }, { name: "n3" }] });
    cluster.create(daemonSet("agent"));
    await cluster.waitFor("rolled out", () => dsRolledOut(cluster.get("daemonsets", "agent")));
    const hashBefore = cluster.list("pods")[0].metadata.labels!["controller-revision-hash"];
    let minAvailable = Infinity;
    const off = cluster.store.onChange((t, e) => {
      if (t.resource === "daemonsets") minAvailable = Math.min(minAvailable, e.object.status?.numberAvailable ?? 0);
    });
    cluster.edit("daemonsets", "agent", (d) => (d.spec.template.spec.containers[0].image = "agent:2"));
    await cluster.waitFor("rolled out again", () => dsRolledOut(cluster.get("daemonsets", "agent")) && cluster.get("daemonsets", "agent")!.status.observedGeneration === 2);
    off();
    expect(minAvailable).toBe(2);
    const pods = cluster.list("pods").filter((p) => !p.metadata.deletionTimestamp);
    expect(pods).toHaveLength(3);
    expect(pods.every((p) => p.metadata.labels!["controller-revision-hash"] !== hashBefore && p.spec.containers[0].image === "agent:2")).toBe(true);
    expect(cluster.get("daemonsets", "agent")!.status.updatedNumberScheduled).toBe(3);
  });

  test("OnDelete keeps old pods until they are deleted", async () => {
    cluster = inProcessCluster();
    cluster.create(daemonSet("agent", { updateStrategy: { type: "OnDelete" } }));
    await cluster.waitFor("2 available", () => cluster.get("daemonsets", "agent")?.status?.numberAvailable === 2);
    cluster.edit("daemonsets", "agent", (d) => (d.spec.template.spec.containers[0].image = "agent:2"));
    await cluster.waitFor("observed", () => cluster.get("daemonsets", "agent")!.status.observedGeneration === 2);
    expect(cluster.get("daemonsets", "agent")!.status.updatedNumberScheduled ?? 0).toBe(0);
    const victim = cluster.list("pods")[0];
    cluster.store.delete(cluster.type("pods"), "default", victim.metadata.name!);
    await cluster.waitFor("one updated", () => cluster.get("daemonsets", "agent")!.status.updatedNumberScheduled === 1 && cluster.get("daemonsets", "agent")!.status.numberAvailable === 2);
  });

  test("follows the nodes: a node selector narrows them, a new node gets a pod, a removed one loses it", async () => {
    cluster = inProcessCluster({ nodes: [{ name: "a", labels: { role: "log" } }, { name: "b" }] });
    cluster.create(daemonSet("agent", { nodeSelector: { role: "log" } }));
    await cluster.waitFor("1 desired", () => cluster.get("daemonsets", "agent")?.status?.numberAvailable === 1);
    expect(cluster.get("daemonsets", "agent")!.status.desiredNumberScheduled).toBe(1);
    cluster.store.create(cluster.type("nodes"), { apiVersion: "v1", kind: "Node", metadata: { name: "c", labels: { role: "log" } }, status: { conditions: [{ type: "Ready", status: "True" }] } });
    await cluster.waitFor("2 available", () => cluster.get("daemonsets", "agent")?.status?.numberAvailable === 2);
    expect(cluster.list("pods").map((p) => p.spec.nodeName).sort()).toEqual(["a", "c"]);
    cluster.store.delete(cluster.type("nodes"), undefined, "a");
    await cluster.waitFor("back to 1", () => cluster.get("daemonsets", "agent")?.status?.desiredNumberScheduled === 1 && cluster.list("pods").filter((p) => !p.metadata.deletionTimestamp).length === 1);
  });
});
