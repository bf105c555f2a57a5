/**
 * The StatefulSet controller with the kubelet running its pods: ordered creation, revisions, RollingUpdate from the
 * highest ordinal down to the partition, OnDelete, scale-down from the top, and the status `kubectl rollout status`
 * reads (currentRevision, updateRevision, updatedReplicas, readyReplicas, observedGeneration).
 */

import { afterEach, describe, expect, test } from "bun:test";
import type { KubeObject } from "../contract.ts";
import { type InProcessCluster, inProcessCluster } from "./testing/in-process-cluster.ts";

let cluster: InProcessCluster;
afterEach(() => cluster?.stop());

function statefulSet(name: string, opts: { replicas?: number; updateStrategy?: any; podManagementPolicy?: string; image?: string } = {}): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name, namespace: "default" },
    spec: {
      replicas: opts.replicas ?? 3,
      serviceName: name,
      selector: { matchLabels: { app: name } },
      ...(opts.updateStrategy ? { updateStrategy: opts.updateStrategy } : {}),
      ...(opts.podManagementPolicy ? { podManagementPolicy: opts.podManagementPolicy } : {}),
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "db", image: opts.image ?? "postgres:16" }] } },
    },
  };
}

const live = (c: InProcessCluster) => c.list("pods").filter((p) => !p.metadata.deletionTimestamp);
const revisionOf = (c: InProcessCluster, pod: string) => c.get("pods", pod)?.metadata.labels?.["controller-revision-hash"];

/** kubectl's StatefulSet rollout status verdict (RollingUpdate with a partition, the defaulted shape). */
function stsRolledOut(s: KubeObject | undefined): boolean {
  if (!s?.status?.observedGeneration || (s.metadata.generation ?? 0) > s.status.observedGeneration) return false;
  const want = s.spec.replicas ?? 1;
  if ((s.status.readyReplicas ?? 0) < want) return false;
  const partition = s.spec.updateStrategy?.rollingUpdate?.partition ?? 0;
  return (s.status.updatedReplicas ?? 0) >= want - partition;
}

describe("StatefulSet", () => {
  test("creates <name>-0..N-1 one after another, each once the one before is Running and Ready", async () => {
    cluster = inProcessCluster();
    const order: string[] = [];
    const readyAtCreation: Record<string, string[]> = {};
    const off = cluster.store.onChange((t, e) => {
      if (t.resource !== "pods" || e.type !== "ADDED") return;
      order.push(e.object.metadata.name!);
      readyAtCreation[e.object.metadata.name!] = live(cluster).filter((p) => p.status?.conditions?.some((c: any) => c.type === "Ready" && c.status === "True")).map((p) => p.metadata.name!);
    });
    cluster.create(statefulSet("db", { replicas: 3 }));
    await cluster.waitFor("3 ready", () => stsRolledOut(cluster.get("statefulsets", "db")));
    off();
    expect(order).toEqual(["db-0", "db-1", "db-2"]);
    expect(readyAtCreation["db-1"]).toEqual(["db-0"]);
    expect(readyAtCreation["db-2"].sort()).toEqual(["db-0", "db-1"]);
    const s = cluster.get("statefulsets", "db")!;
    expect(s.status.currentRevision).toBe(s.status.updateRevision);
    expect(s.status.updateRevision).toMatch(/^db-[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(s.status).toMatchObject({ replicas: 3, readyReplicas: 3, currentReplicas: 3, updatedReplicas: 3, availableReplicas: 3, observedGeneration: 1 });
    const pod = cluster.get("pods", "db-1")!;
    expect(pod.metadata.labels).toMatchObject({ app: "db", "controller-revision-hash": s.status.updateRevision, "statefulset.kubernetes.io/pod-name": "db-1", "apps.kubernetes.io/pod-index": "1" });
    expect(pod.spec).toMatchObject({ hostname: "db-1", subdomain: "db" });
    const revisions = cluster.list("controllerrevisions");
    expect(revisions.map((r) => r.metadata.name)).toEqual([s.status.updateRevision]);
    expect((revisions[0] as any).revision).toBe(1);
  });

  test("RollingUpdate with a partition updates only the ordinals at or above it, highest first", async () => {
    cluster = inProcessCluster();
    cluster.create(statefulSet("db", { replicas: 4, updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 2 } } }));
    await cluster.waitFor("4 ready", () => stsRolledOut(cluster.get("statefulsets", "db")));
    const oldRevision = cluster.get("statefulsets", "db")!.status.updateRevision;
    const deleted: string[] = [];
    const off = cluster.store.onChange((t, e) => t.resource === "pods" && e.type === "DELETED" && deleted.push(e.object.metadata.name!));
    cluster.edit("statefulsets", "db", (s) => (s.spec.template.spec.containers[0].image = "postgres:17"));
    await cluster.waitFor("partitioned rollout", () => stsRolledOut(cluster.get("statefulsets", "db")) && cluster.get("statefulsets", "db")!.status.updatedReplicas === 2);
    off();
    const s = cluster.get("statefulsets", "db")!;
    expect(s.status.updateRevision).not.toBe(oldRevision);
    expect(s.status.currentRevision).toBe(oldRevision);
    expect(s.status).toMatchObject({ replicas: 4, readyReplicas: 4, updatedReplicas: 2, currentReplicas: 2 });
    expect(deleted).toEqual(["db-3", "db-2"]);
    expect([0, 1, 2, 3].map((i) => revisionOf(cluster, `db-${i}`))).toEqual([oldRevision, oldRevision, s.status.updateRevision, s.status.updateRevision]);
    expect(cluster.get("pods", "db-3")!.spec.containers[0].image).toBe("postgres:17");

    // A pod below the partition that is deleted comes back at the old revision, with the old template.
    cluster.store.delete(cluster.type("pods"), "default", "db-0", { gracePeriodSeconds: 0 });
    await cluster.waitFor("db-0 back", () => cluster.get("pods", "db-0")?.status?.phase === "Running");
    expect(revisionOf(cluster, "db-0")).toBe(oldRevision);
    expect(cluster.get("pods", "db-0")!.spec.containers[0].image).toBe("postgres:16");

    // Lowering the partition to 0 finishes the rollout; the update revision becomes the current one.
    cluster.edit("statefulsets", "db", (x) => (x.spec.updateStrategy.rollingUpdate.partition = 0));
    await cluster.waitFor("complete", () => cluster.get("statefulsets", "db")!.status.currentRevision === s.status.updateRevision);
    expect(cluster.get("statefulsets", "db")!.status).toMatchObject({ updatedReplicas: 4, currentReplicas: 4, readyReplicas: 4 });
  });

  test("OnDelete changes no pod until one is deleted; the deleted one comes back at the new revision", async () => {
    cluster = inProcessCluster();
    cluster.create(statefulSet("db", { replicas: 2, updateStrategy: { type: "OnDelete" } }));
    await cluster.waitFor("2 ready", () => cluster.get("statefulsets", "db")?.status?.readyReplicas === 2);
    const oldRevision = cluster.get("statefulsets", "db")!.status.updateRevision;
    cluster.edit("statefulsets", "db", (s) => (s.spec.template.spec.containers[0].image = "postgres:17"));
    await cluster.waitFor("observed", () => cluster.get("statefulsets", "db")!.status.observedGeneration === 2);
    await Bun.sleep(100);
    const s = cluster.get("statefulsets", "db")!;
    expect(s.status.updateRevision).not.toBe(oldRevision);
    expect(s.status.updatedReplicas ?? 0).toBe(0);
    expect([revisionOf(cluster, "db-0"), revisionOf(cluster, "db-1")]).toEqual([oldRevision, oldRevision]);
    cluster.store.delete(cluster.type("pods"), "default", "db-1");
    await cluster.waitFor("db-1 updated", () => revisionOf(cluster, "db-1") === s.status.updateRevision && cluster.get("statefulsets", "db")!.status.readyReplicas === 2);
    expect(revisionOf(cluster, "db-0")).toBe(oldRevision);
    expect(cluster.get("statefulsets", "db")!.status.updatedReplicas).toBe(1);
  });

  test("scaling down removes the highest ordinals first", async () => {
    cluster = inProcessCluster();
    cluster.create(statefulSet("db", { replicas: 3, podManagementPolicy: "Parallel" }));
    await cluster.waitFor("3 ready", () => cluster.get("statefulsets", "db")?.status?.readyReplicas === 3);
    cluster.edit("statefulsets", "db", (s) => (s.spec.replicas = 1));
    await cluster.waitFor("1 left", () => cluster.list("pods").length === 1 && cluster.get("statefulsets", "db")!.status.replicas === 1);
    expect(cluster.list("pods").map((p) => p.metadata.name)).toEqual(["db-0"]);
  });
});
