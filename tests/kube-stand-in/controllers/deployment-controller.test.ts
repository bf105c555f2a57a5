/**
 * The Deployment controller against the stand-in's store, with the kubelet running the pods: what a Deployment
 * looks like after creation, after a template change (a rollout), after a rollback to an earlier template, with
 * Recreate, and with an image that never pulls (ProgressDeadlineExceeded), as `kubectl rollout status` reads it.
 */

import { afterEach, describe, expect, test } from "bun:test";
import type { KubeObject } from "../contract.ts";
import { condition, deployment, deploymentRolloutDone, type InProcessCluster, inProcessCluster } from "./testing/in-process-cluster.ts";
import { podTemplateHash } from "./pod-template-hash.ts";

let cluster: InProcessCluster;
afterEach(() => cluster?.stop());

const rsOf = (c: InProcessCluster, d: string) => c.list("replicasets").filter((rs) => rs.metadata.ownerReferences?.[0]?.name === d);
const podsOf = (c: InProcessCluster, app: string) => c.list("pods").filter((p) => p.metadata.labels?.app === app && !p.metadata.deletionTimestamp);

async function rolledOut(c: InProcessCluster, name: string): Promise<KubeObject> {
  await c.waitFor(`deployment ${name} rolled out`, () => deploymentRolloutDone(c.get("deployments", name)));
  return c.get("deployments", name)!;
}

describe("a new Deployment", () => {
  test("gets a ReplicaSet <name>-<hash> at revision 1, pods that run, and the status kubectl reads", async () => {
    cluster = inProcessCluster();
    const created = cluster.create(deployment("web", { replicas: 3 }));
    const d = await rolledOut(cluster, "web");
    const hash = podTemplateHash(created.spec.template);
    const [rs] = rsOf(cluster, "web");
    expect(rs.metadata.name).toBe(`web-${hash}`);
    expect(rs.metadata.labels?.["pod-template-hash"]).toBe(hash);
    expect(rs.spec.selector.matchLabels).toEqual({ app: "web", "pod-template-hash": hash });
    expect(rs.metadata.annotations?.["deployment.kubernetes.io/revision"]).toBe("1");
    expect(rs.metadata.annotations?.["deployment.kubernetes.io/desired-replicas"]).toBe("3");
    expect(rs.metadata.annotations?.["deployment.kubernetes.io/max-replicas"]).toBe("4");
    expect(rs.metadata.ownerReferences).toEqual([{ apiVersion: "apps/v1", kind: "Deployment", name: "web", uid: created.metadata.uid!, controller: true, blockOwnerDeletion: true }]);
    expect(d.metadata.annotations?.["deployment.kubernetes.io/revision"]).toBe("1");
    expect(d.status).toMatchObject({ observedGeneration: d.metadata.generation, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 });
    expect(d.status.unavailableReplicas).toBeUndefined();
    expect(condition(d, "Available")).toMatchObject({ status: "True", reason: "MinimumReplicasAvailable", message: "Deployment has minimum availability." });
    expect(condition(d, "Progressing")).toMatchObject({ status: "True", reason: "NewReplicaSetAvailable", message: `ReplicaSet "web-${hash}" has successfully progressed.` });
    const pods = podsOf(cluster, "web");
    expect(pods).toHaveLength(3);
    for (const p of pods) {
      expect(p.metadata.name).toMatch(new RegExp(`^web-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      expect(p.metadata.labels?.["pod-template-hash"]).toBe(hash);
      expect(p.status.phase).toBe("Running");
      expect(p.spec.nodeName).toMatch(/^stand-in-node-/);
    }
  });

  // The real controller writes the revision annotation with UpdateStatus, whose strategy takes annotations and does not
  // bump generation.
  test("the controller's revision annotation leaves generation at 1", async () => {
    cluster = inProcessCluster();
    cluster.create(deployment("web", { replicas: 1 }));
    const d = await rolledOut(cluster, "web");
    expect(d.metadata.generation).toBe(1);
  });
});

describe("a template change", () => {
  test("rolls out a new ReplicaSet at revision 2, replacing every pod under new names", async () => {
    cluster = inProcessCluster();
    cluster.create(deployment("web", { replicas: 4 }));
    await rolledOut(cluster, "web");
    const before = new Set(podsOf(cluster, "web").map((p) => p.metadata.name));
    const progressSeen: string[] = [];
    const off = cluster.store.onChange((t, e) => {
      if (t.resource === "deployments") progressSeen.push(condition(e.object, "Progressing")?.reason);
    });
    const edited = cluster.edit("deployments", "web", (d) => (d.spec.template.spec.containers[0].image = "nginx:1.28"));
    expect(edited.metadata.generation).toBe(2);
    const d = await rolledOut(cluster, "web");
    off();
    const newHash = podTemplateHash(edited.spec.template);
    const sets = rsOf(cluster, "web");
    expect(sets).toHaveLength(2);
    const newRS = sets.find((rs) => rs.metadata.name === `web-${newHash}`)!;
    const oldRS = sets.find((rs) => rs !== newRS)!;
    expect(newRS.metadata.annotations?.["deployment.kubernetes.io/revision"]).toBe("2");
    expect(newRS.spec.replicas).toBe(4);
    expect(oldRS.spec.replicas).toBe(0);
    expect(d.metadata.annotations?.["deployment.kubernetes.io/revision"]).toBe("2");
    expect(d.status).toMatchObject({ observedGeneration: d.metadata.generation, replicas: 4, updatedReplicas: 4, availableReplicas: 4 });
    expect(progressSeen).toContain("NewReplicaSetCreated");
    expect(progressSeen).toContain("ReplicaSetUpdated");
    expect(condition(d, "Progressing")?.reason).toBe("NewReplicaSetAvailable");
    const after = podsOf(cluster, "web");
    await cluster.waitFor("old pods gone", () => podsOf(cluster, "web").length === 4);
    expect(podsOf(cluster, "web").every((p) => !before.has(p.metadata.name) && p.metadata.labels?.["pod-template-hash"] === newHash)).toBe(true);
    expect(after.length).toBeGreaterThanOrEqual(4);
  });

  test("RollingUpdate keeps availability within maxUnavailable and pods within maxSurge all the way", async () => {
    cluster = inProcessCluster();
    cluster.create(deployment("web", { replicas: 4, strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } }));
    await rolledOut(cluster, "web");
    let maxPods = 0;
    let minAvailable = Infinity;
    const off = cluster.store.onChange((t) => {
      if (t.resource !== "pods" && t.resource !== "replicasets") return;
      const sets = rsOf(cluster, "web");
      maxPods = Math.max(maxPods, sets.reduce((n, rs) => n + (rs.spec.replicas ?? 0), 0));
      minAvailable = Math.min(minAvailable, sets.reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0));
    });
    cluster.edit("deployments", "web", (d) => (d.spec.template.metadata.annotations = { "rolled-at": "now" }));
    await rolledOut(cluster, "web");
    off();
    expect(maxPods).toBe(5);
    expect(minAvailable).toBe(4);
  });

  test("back to an earlier template reuses its ReplicaSet (same hash) under the next revision", async () => {
    cluster = inProcessCluster();
    const original = cluster.create(deployment("web", { replicas: 2 }));
    await rolledOut(cluster, "web");
    const originalHash = podTemplateHash(original.spec.template);
    const originalTemplate = structuredClone(original.spec.template);
    cluster.edit("deployments", "web", (d) => d.spec.template.spec.containers.push({ name: "sidecar", image: "forwarder:1" }));
    await rolledOut(cluster, "web");
    cluster.edit("deployments", "web", (d) => (d.spec.template = structuredClone(originalTemplate)));
    const d = await rolledOut(cluster, "web");
    const sets = rsOf(cluster, "web");
    expect(sets).toHaveLength(2);
    const reused = sets.find((rs) => rs.metadata.name === `web-${originalHash}`)!;
    expect(reused.spec.replicas).toBe(2);
    expect(reused.metadata.annotations?.["deployment.kubernetes.io/revision"]).toBe("3");
    expect(reused.metadata.annotations?.["deployment.kubernetes.io/revision-history"]).toBe("1");
    expect(d.metadata.annotations?.["deployment.kubernetes.io/revision"]).toBe("3");
    expect(podsOf(cluster, "web").every((p) => p.metadata.labels?.["pod-template-hash"] === originalHash)).toBe(true);
  });
});

describe("Recreate", () => {
  test("removes every old pod before the new ReplicaSet gets any", async () => {
    cluster = inProcessCluster();
    cluster.create(deployment("db", { replicas: 2, strategy: { type: "Recreate" } }));
    await rolledOut(cluster, "db");
    let overlap = false;
    const off = cluster.store.onChange((t) => {
      if (t.resource !== "pods") return;
      const hashes = new Set(podsOf(cluster, "db").map((p) => p.metadata.labels?.["pod-template-hash"]));
      if (hashes.size > 1) overlap = true;
    });
    cluster.edit("deployments", "db", (d) => (d.spec.template.spec.containers[0].image = "postgres:17"));
    const d = await rolledOut(cluster, "db");
    off();
    expect(overlap).toBe(false);
    expect(d.metadata.annotations?.["deployment.kubernetes.io/revision"]).toBe("2");
  });
});

describe("a rollout that cannot progress", () => {
  test("an image that never pulls ends in ProgressDeadlineExceeded, the old pods kept serving", async () => {
    cluster = inProcessCluster();
    cluster.create(deployment("web", { replicas: 2, progressDeadlineSeconds: 10 }));
    await rolledOut(cluster, "web");
    cluster.edit("deployments", "web", (d) => (d.spec.template.spec.containers[0].image = "registry.example/web:never-pulls"));
    await cluster.waitFor("deadline exceeded", () => condition(cluster.get("deployments", "web"), "Progressing")?.reason === "ProgressDeadlineExceeded");
    const d = cluster.get("deployments", "web")!;
    const newRS = rsOf(cluster, "web").find((rs) => rs.metadata.annotations?.["deployment.kubernetes.io/revision"] === "2")!;
    expect(condition(d, "Progressing")).toMatchObject({ status: "False", message: `ReplicaSet "${newRS.metadata.name}" has timed out progressing.` });
    expect(condition(d, "Available")?.status).toBe("True");
    expect(d.status.availableReplicas).toBe(2);
    const stuck = podsOf(cluster, "web").filter((p) => p.metadata.labels?.["pod-template-hash"] === newRS.metadata.labels?.["pod-template-hash"]);
    expect(stuck.length).toBeGreaterThan(0);
    const waiting = stuck[0].status.containerStatuses[0].state.waiting;
    expect(["ErrImagePull", "ImagePullBackOff"]).toContain(waiting.reason);
    expect(stuck[0].status.phase).toBe("Pending");
  });

  test("a crash-looping native sidecar added to the template ends in ProgressDeadlineExceeded too", async () => {
    cluster = inProcessCluster();
    cluster.create(deployment("web", { replicas: 2, progressDeadlineSeconds: 10 }));
    await rolledOut(cluster, "web");
    // Watched, not polled (as kubectl does): the sidecar is Ready for a moment before each crash, as without a
    // readiness probe on a real node, and such a flicker after the deadline counts as progress again (progress.go
    // checks progress before the deadline), so the condition may not stay ProgressDeadlineExceeded for long.
    let timedOut: any;
    const off = cluster.store.onChange((t, e) => {
      if (t.resource === "deployments" && condition(e.object, "Progressing")?.reason === "ProgressDeadlineExceeded") timedOut ??= e.object;
    });
    cluster.edit("deployments", "web", (d) => (d.spec.template.spec.initContainers = [{ name: "forwarder", image: "forwarder:crashloop", restartPolicy: "Always" }]));
    await cluster.waitFor("deadline exceeded", () => timedOut !== undefined, 10_000);
    off();
    const d = timedOut;
    expect(d.status.updatedReplicas).toBeGreaterThan(0);
    expect(d.status.availableReplicas).toBeLessThan(d.status.replicas);
    const newPods = podsOf(cluster, "web").filter((p) => p.spec.initContainers?.length);
    expect(newPods.some((p) => p.status.initContainerStatuses[0].restartCount > 0)).toBe(true);
  });

  test("fixing the template after the deadline starts a new rollout that completes", async () => {
    cluster = inProcessCluster();
    cluster.create(deployment("web", { replicas: 2, progressDeadlineSeconds: 5 }));
    await rolledOut(cluster, "web");
    cluster.edit("deployments", "web", (d) => (d.spec.template.spec.containers[0].image = "web:never-pulls"));
    await cluster.waitFor("deadline exceeded", () => condition(cluster.get("deployments", "web"), "Progressing")?.reason === "ProgressDeadlineExceeded");
    cluster.edit("deployments", "web", (d) => (d.spec.template.spec.containers[0].image = "nginx:1.29"));
    const d = await rolledOut(cluster, "web");
    expect(d.metadata.annotations?.["deployment.kubernetes.io/revision"]).toBe("3");
    expect(condition(d, "Progressing")?.reason).toBe("NewReplicaSetAvailable");
  });
});

describe("scaling and deletion", () => {
  test("a replicas change resizes the ReplicaSet without a new revision; deleting the Deployment removes everything", async () => {
    cluster = inProcessCluster();
    cluster.create(deployment("web", { replicas: 1 }));
    await rolledOut(cluster, "web");
    cluster.edit("deployments", "web", (d) => (d.spec.replicas = 3));
    const d = await rolledOut(cluster, "web");
    expect(rsOf(cluster, "web")).toHaveLength(1);
    expect(d.metadata.annotations?.["deployment.kubernetes.io/revision"]).toBe("1");
    expect(d.status.availableReplicas).toBe(3);
    cluster.store.delete(cluster.type("deployments"), "default", "web");
    await cluster.waitFor("everything gone", () => rsOf(cluster, "web").length === 0 && cluster.list("pods").length === 0);
  });
});
