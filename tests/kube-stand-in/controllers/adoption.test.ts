/**
 * Claiming as the real controllers do: orphans a selector matches are adopted, owned objects it no longer matches
 * are released. This is what lets a Deployment deleted with `--cascade=orphan` and created again take its old
 * ReplicaSet and pods back without a rollout.
 */

import { afterEach, describe, expect, test } from "bun:test";
import { deployment, deploymentRolloutDone, type InProcessCluster, inProcessCluster } from "./testing/in-process-cluster.ts";

let cluster: InProcessCluster;
afterEach(() => cluster?.stop());

const livePods = (c: InProcessCluster) => c.list("pods").filter((p) => !p.metadata.deletionTimestamp);

describe("claiming", () => {
  test("a ReplicaSet adopts a matching orphan pod instead of creating one", async () => {
    cluster = inProcessCluster();
    cluster.create({ apiVersion: "v1", kind: "Pod", metadata: { name: "stray", labels: { app: "web" } }, spec: { containers: [{ name: "app", image: "nginx" }] } });
    const rs = cluster.create({
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: { name: "web" },
      spec: { replicas: 2, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "app", image: "nginx" }] } } },
    });
    await cluster.waitFor("2 ready", () => cluster.get("replicasets", "web")?.status?.readyReplicas === 2);
    expect(livePods(cluster)).toHaveLength(2);
    expect(cluster.get("pods", "stray")!.metadata.ownerReferences).toEqual([{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "web", uid: rs.metadata.uid!, controller: true, blockOwnerDeletion: true }]);
  });

  test("a pod relabelled out of the selector is released and replaced", async () => {
    cluster = inProcessCluster();
    cluster.create(deployment("web", { replicas: 1 }));
    await cluster.waitFor("rolled out", () => deploymentRolloutDone(cluster.get("deployments", "web")));
    const [pod] = livePods(cluster);
    cluster.edit("pods", pod.metadata.name!, (p) => (p.metadata.labels = { app: "debugging" }));
    await cluster.waitFor("replaced", () => livePods(cluster).length === 2 && cluster.get("deployments", "web")!.status.availableReplicas === 1);
    expect(cluster.get("pods", pod.metadata.name!)!.metadata.ownerReferences).toBeUndefined();
  });

  test("a Deployment deleted with orphan propagation and created again takes its ReplicaSet and pods back, no rollout", async () => {
    cluster = inProcessCluster();
    const spec = deployment("web", { replicas: 2 });
    cluster.create(spec);
    await cluster.waitFor("rolled out", () => deploymentRolloutDone(cluster.get("deployments", "web")));
    const podsBefore = livePods(cluster).map((p) => p.metadata.name).sort();
    const rsBefore = cluster.list("replicasets").map((r) => r.metadata.name);
    cluster.store.delete(cluster.type("deployments"), "default", "web", { propagationPolicy: "Orphan" });
    await cluster.waitFor("deployment gone", () => cluster.get("deployments", "web") === undefined && cluster.list("replicasets").every((r) => !r.metadata.ownerReferences));
    const again = cluster.create(spec);
    await cluster.waitFor("adopted", () => cluster.list("replicasets").every((r) => r.metadata.ownerReferences?.[0]?.uid === again.metadata.uid) && deploymentRolloutDone(cluster.get("deployments", "web")));
    expect(cluster.list("replicasets").map((r) => r.metadata.name)).toEqual(rsBefore);
    expect(livePods(cluster).map((p) => p.metadata.name).sort()).toEqual(podsBefore);
  });
});
