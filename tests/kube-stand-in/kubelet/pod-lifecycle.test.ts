/**
 * The kubelet simulation on its own pods (no controllers needed): scheduling, the status a running pod reports,
 * init containers and native sidecars (and what an older kubelet does with them), the scripted failures
 * (never-pulls, crashloop, never-ready), and graceful deletion.
 */

import { afterEach, describe, expect, test } from "bun:test";
import type { KubeObject } from "../contract.ts";
import { type InProcessCluster, inProcessCluster } from "../controllers/testing/in-process-cluster.ts";
import { setKubeletVersion } from "./nodes.ts";

let cluster: InProcessCluster;
afterEach(() => cluster?.stop());

function pod(name: string, spec: any, annotations?: Record<string, string>): KubeObject {
  return { apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default", ...(annotations ? { annotations } : {}) }, spec };
}

const statusOf = (c: InProcessCluster, name: string) => c.get("pods", name)?.status;
const cond = (s: any, type: string) => s?.conditions?.find((c: any) => c.type === type);
const container = (s: any, name: string) => [...(s?.initContainerStatuses ?? []), ...(s?.containerStatuses ?? [])].find((c: any) => c.name === name);

describe("a pod", () => {
  test("is scheduled and runs: phase, conditions, IPs, container status as a real kubelet reports them", async () => {
    cluster = inProcessCluster();
    cluster.create(pod("web", { containers: [{ name: "app", image: "nginx:1.27" }] }));
    await cluster.waitFor("ready", () => cond(statusOf(cluster, "web"), "Ready")?.status === "True");
    const p = cluster.get("pods", "web")!;
    const s = p.status;
    expect(p.spec.nodeName).toMatch(/^stand-in-node-[12]$/);
    expect(s.phase).toBe("Running");
    expect(s.conditions.map((c: any) => [c.type, c.status])).toEqual([
      ["PodReadyToStartContainers", "True"],
      ["Initialized", "True"],
      ["Ready", "True"],
      ["ContainersReady", "True"],
      ["PodScheduled", "True"],
    ]);
    expect(s.hostIP).toMatch(/^10\.0\.0\.1[12]$/);
    expect(s.podIP).toMatch(/^10\.244\.[12]\.\d+$/);
    expect(s.podIPs).toEqual([{ ip: s.podIP }]);
    expect(s.startTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(s.qosClass).toBe("BestEffort");
    const app = s.containerStatuses[0];
    expect(app).toMatchObject({ name: "app", ready: true, started: true, restartCount: 0, image: "nginx:1.27", lastState: {} });
    expect(app.containerID).toMatch(/^stand-in:\/\/[0-9a-f]{64}$/);
    expect(app.imageID).toMatch(/^nginx@sha256:[0-9a-f]{64}$/);
    expect(app.state.running.startedAt).toMatch(/Z$/);
  });

  test("that fits no node stays Pending with the scheduler's Unschedulable condition", async () => {
    cluster = inProcessCluster();
    cluster.create(pod("picky", { nodeSelector: { disk: "ssd" }, containers: [{ name: "app", image: "nginx" }] }));
    await cluster.waitFor("unschedulable", () => cond(statusOf(cluster, "picky"), "PodScheduled")?.reason === "Unschedulable");
    expect(cond(statusOf(cluster, "picky"), "PodScheduled")).toMatchObject({
      status: "False",
      message: "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
    });
    expect(cluster.get("pods", "picky")!.spec.nodeName).toBeUndefined();
  });

  test("runs ordinary init containers to completion one by one before the app containers", async () => {
    cluster = inProcessCluster();
    const seen: string[] = [];
    const off = cluster.store.onChange((t, e) => {
      if (t.resource !== "pods") return;
      const running = [...(e.object.status?.initContainerStatuses ?? []), ...(e.object.status?.containerStatuses ?? [])].filter((c: any) => c.state.running).map((c: any) => c.name);
      const key = running.join(",");
      if (key && seen[seen.length - 1] !== key) seen.push(key);
    });
    cluster.create(pod("web", { initContainers: [{ name: "migrate", image: "tool:1" }, { name: "warm", image: "tool:1" }], containers: [{ name: "app", image: "nginx" }] }));
    await cluster.waitFor("ready", () => cond(statusOf(cluster, "web"), "Ready")?.status === "True");
    off();
    expect(seen).toEqual(["migrate", "warm", "app"]);
    const s = statusOf(cluster, "web");
    expect(container(s, "migrate").state.terminated).toMatchObject({ exitCode: 0, reason: "Completed" });
    expect(cond(s, "Initialized").status).toBe("True");
  });

  test("starts a native sidecar before the app containers and keeps it running beside them", async () => {
    cluster = inProcessCluster();
    cluster.create(pod("web", { initContainers: [{ name: "forwarder", image: "forwarder:1", restartPolicy: "Always" }], containers: [{ name: "app", image: "nginx" }] }));
    let appBeforeSidecar = false;
    const off = cluster.store.onChange((t, e) => {
      if (t.resource !== "pods") return;
      const s = e.object.status;
      if (container(s, "app")?.state.running && !container(s, "forwarder")?.state.running) appBeforeSidecar = true;
    });
    await cluster.waitFor("ready", () => cond(statusOf(cluster, "web"), "Ready")?.status === "True");
    await Bun.sleep(50); // longer than an ordinary init container would run (initRunSeconds at this time scale)
    off();
    expect(appBeforeSidecar).toBe(false);
    const s = statusOf(cluster, "web");
    expect(container(s, "forwarder")).toMatchObject({ ready: true, started: true });
    expect(container(s, "forwarder").state.running).toBeDefined();
    expect(s.phase).toBe("Running");
  });

  test("on a node whose kubelet is older than 1.29 a restartPolicy: Always init container never lets the pod initialize", async () => {
    cluster = inProcessCluster({ nodes: [{ name: "old", kubeletVersion: "v1.28.9" }] });
    expect(cluster.get("nodes", "old", undefined)!.status.nodeInfo.kubeletVersion).toBe("v1.28.9");
    cluster.create(pod("web", { initContainers: [{ name: "forwarder", image: "forwarder:1", restartPolicy: "Always" }], containers: [{ name: "app", image: "nginx" }] }));
    await cluster.waitFor("forwarder running", () => container(statusOf(cluster, "web"), "forwarder")?.state.running !== undefined);
    await Bun.sleep(100);
    const s = statusOf(cluster, "web");
    expect(s.phase).toBe("Pending");
    expect(cond(s, "Initialized")).toMatchObject({ status: "False", reason: "ContainersNotInitialized", message: "containers with incomplete status: [forwarder]" });
    expect(container(s, "app").state.waiting.reason).toBe("PodInitializing");
  });

  test("setKubeletVersion changes what a node reports", () => {
    cluster = inProcessCluster();
    setKubeletVersion(cluster.store, "stand-in-node-2", "v1.27.3");
    expect(cluster.get("nodes", "stand-in-node-2", undefined)!.status.nodeInfo.kubeletVersion).toBe("v1.27.3");
    expect(cluster.get("nodes", "stand-in-node-1", undefined)!.status.nodeInfo.kubeletVersion).toBe("v1.31.0");
  });
});

describe("scripted failures", () => {
  test("an image containing never-pulls waits in ErrImagePull, then ImagePullBackOff, and never starts", async () => {
    cluster = inProcessCluster();
    const reasons = new Set<string>();
    const off = cluster.store.onChange((t, e) => t.resource === "pods" && e.object.status?.containerStatuses?.[0]?.state?.waiting && reasons.add(e.object.status.containerStatuses[0].state.waiting.reason));
    cluster.create(pod("web", { containers: [{ name: "app", image: "registry.example/app:never-pulls" }] }));
    await cluster.waitFor("back-off", () => container(statusOf(cluster, "web"), "app")?.state.waiting?.reason === "ImagePullBackOff");
    off();
    expect([...reasons]).toEqual(["ContainerCreating", "ErrImagePull", "ImagePullBackOff"]);
    const s = statusOf(cluster, "web");
    expect(container(s, "app").state.waiting.message).toBe('Back-off pulling image "registry.example/app:never-pulls"');
    expect(s.phase).toBe("Pending");
    expect(cond(s, "Ready")).toMatchObject({ status: "False", reason: "ContainersNotReady", message: "containers with unready status: [app]" });
  });

  test("an image containing crashloop exits 1, restarts with a new containerID, then backs off in CrashLoopBackOff", async () => {
    cluster = inProcessCluster();
    const p = cluster.create(pod("web", { containers: [{ name: "app", image: "app:crashloop" }] }));
    await cluster.waitFor("back-off", () => container(statusOf(cluster, "web"), "app")?.state.waiting?.reason === "CrashLoopBackOff", 10_000);
    const c = container(statusOf(cluster, "web"), "app");
    expect(c.restartCount).toBeGreaterThanOrEqual(1);
    expect(c.lastState.terminated).toMatchObject({ exitCode: 1, reason: "Error" });
    expect(c.lastState.terminated.containerID).toMatch(/^stand-in:\/\//);
    expect(c.state.waiting.message).toMatch(new RegExp(`^back-off \\d+s restarting failed container=app pod=web_default\\(${p.metadata.uid}\\)$`));
    expect(c.ready).toBe(false);
    expect(statusOf(cluster, "web").phase).toBe("Running");
  });

  test("a crash-looping native sidecar restarts beside the app; the pod stays Initialized and Running, not Ready", async () => {
    cluster = inProcessCluster();
    cluster.create(pod("web", { initContainers: [{ name: "forwarder", image: "forwarder:crashloop", restartPolicy: "Always" }], containers: [{ name: "app", image: "nginx" }] }));
    await cluster.waitFor("sidecar restarted", () => (container(statusOf(cluster, "web"), "forwarder")?.restartCount ?? 0) >= 2, 10_000);
    const s = statusOf(cluster, "web");
    expect(s.phase).toBe("Running");
    expect(cond(s, "Initialized").status).toBe("True");
    expect(container(s, "app").state.running).toBeDefined();
    const seenReady: boolean[] = [];
    const off = cluster.store.onChange((t, e) => t.resource === "pods" && seenReady.push(cond(e.object.status, "Ready")?.status === "True"));
    await cluster.waitFor("back-off", () => container(statusOf(cluster, "web"), "forwarder")?.state.waiting?.reason === "CrashLoopBackOff", 10_000);
    off();
    expect(cond(statusOf(cluster, "web"), "Ready")).toMatchObject({ status: "False", message: "containers with unready status: [forwarder]" });
  });

  test("an image containing never-ready runs but is never Ready", async () => {
    cluster = inProcessCluster();
    cluster.create(pod("web", { containers: [{ name: "app", image: "app:never-ready" }] }));
    await cluster.waitFor("running", () => container(statusOf(cluster, "web"), "app")?.state.running !== undefined);
    await Bun.sleep(50);
    expect(container(statusOf(cluster, "web"), "app").ready).toBe(false);
    expect(cond(statusOf(cluster, "web"), "Ready").status).toBe("False");
  });

  test("a malformed log script is the container's CreateContainerConfigError, naming the problem", async () => {
    cluster = inProcessCluster();
    cluster.create(pod("web", { containers: [{ name: "app", image: "nginx" }] }, { "stand-in.logtap.dev/logs.app": '{"lines": ["a"], "rat": 3}' }));
    await cluster.waitFor("config error", () => container(statusOf(cluster, "web"), "app")?.state.waiting?.reason === "CreateContainerConfigError");
    expect(container(statusOf(cluster, "web"), "app").state.waiting.message).toBe('log script for container "app": unknown key "rat" (known: lines, template, count, rate, restartAfter, exitCode, rotateEvery, partialEvery, sameTimestamp, stream)');
  });
});

describe("deletion", () => {
  test("a graceful delete marks the pod, the kubelet stops the app container and the pod goes", async () => {
    cluster = inProcessCluster();
    cluster.create(pod("web", { containers: [{ name: "app", image: "nginx" }] }));
    await cluster.waitFor("ready", () => cond(statusOf(cluster, "web"), "Ready")?.status === "True");
    const marked = cluster.store.delete(cluster.type("pods"), "default", "web");
    expect(marked.metadata.deletionTimestamp).toBeDefined();
    expect(cluster.get("pods", "web")).toBeDefined();
    await cluster.waitFor("gone", () => cluster.get("pods", "web") === undefined);
  });

  test("a graceful delete stops the app container first, the native sidecar after it, then removes the pod", async () => {
    cluster = inProcessCluster();
    cluster.create(pod("web", { initContainers: [{ name: "forwarder", image: "forwarder:1", restartPolicy: "Always" }], containers: [{ name: "app", image: "nginx" }] }));
    await cluster.waitFor("ready", () => cond(statusOf(cluster, "web"), "Ready")?.status === "True");
    const order: string[] = [];
    const off = cluster.store.onChange((t, e) => {
      if (t.resource !== "pods") return;
      for (const c of [...(e.object.status?.initContainerStatuses ?? []), ...(e.object.status?.containerStatuses ?? [])]) if (c.state.terminated && !order.includes(c.name)) order.push(c.name);
    });
    const marked = cluster.store.delete(cluster.type("pods"), "default", "web");
    expect(marked.metadata.deletionTimestamp).toBeDefined();
    await cluster.waitFor("gone", () => cluster.get("pods", "web") === undefined);
    off();
    expect(order).toEqual(["app", "forwarder"]);
  });
});
