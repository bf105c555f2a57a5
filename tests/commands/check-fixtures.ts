/**
 * The cluster check and status tests run against: the stand-in over mutual TLS with its controllers and kubelet
 * (pods really run), state set up with the real kubectl, and workloads tapped the two ways a cluster can hold them —
 * by upstream logtap (`logtap.dev/tapped` and a `logtap-forwarder-<session>` container, no record) and by ours
 * (planTap's template, with the tap record and, in native mode, the sidecar among the init containers).
 */

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { planTap } from "../../src/kube/tap/plan-tap.ts";
import type { Workload } from "../../src/kube/tap/workload.ts";
import { createControllers } from "../kube-stand-in/controllers/index.ts";
import { createKubelet } from "../kube-stand-in/kubelet/index.ts";
import { findKubectl, Kubectl, kubectlMissing } from "../kube-stand-in/kubectl.ts";
import { startStandIn, type StandIn } from "../kube-stand-in/stand-in.ts";
import { tempDir } from "../support/receiver-process.ts";
import { waitFor } from "../support/wait-for.ts";

export { kubectlMissing };

export interface TestCluster {
  standIn: StandIn;
  /** system:masters. */
  kubeconfig: string;
  kubectl: Kubectl;
  stop(): Promise<void>;
}

export async function startTestCluster(): Promise<TestCluster> {
  // Cluster time 100× faster than real time: pods are Running within tens of milliseconds.
  const controllers = createControllers({ timeScale: 0.01 });
  const standIn = await startStandIn({ components: [controllers, createKubelet({ clock: controllers.clock })] });
  const kubeconfig = standIn.kubeconfig();
  return { standIn, kubeconfig, kubectl: new Kubectl(kubeconfig, { bin: findKubectl() }), stop: () => standIn.stop() };
}

/** A kubeconfig whose server nothing listens on: the stand-in's, with the port of a server just stopped. */
export function unreachableKubeconfig(c: TestCluster): string {
  const closed = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("") });
  const port = closed.port;
  closed.stop(true);
  const path = join(tempDir("logtap-kubeconfig-"), "unreachable.yaml");
  writeFileSync(path, c.standIn.kubeconfigText().replace(c.standIn.url, `https://127.0.0.1:${port}`), { mode: 0o600 });
  return path;
}

export interface WorkloadOptions {
  replicas?: number;
  annotations?: Record<string, string>;
  containers?: Record<string, unknown>[];
}

export function deployment(namespace: string, name: string, o: WorkloadOptions = {}): Workload {
  return workload("Deployment", namespace, name, o);
}

export function statefulSet(namespace: string, name: string, o: WorkloadOptions = {}): Workload {
  const w = workload("StatefulSet", namespace, name, o);
  w.spec.serviceName = name;
  return w;
}

function workload(kind: "Deployment" | "StatefulSet", namespace: string, name: string, o: WorkloadOptions): Workload {
  return {
    apiVersion: "apps/v1",
    kind,
    metadata: { name, namespace },
    spec: {
      replicas: o.replicas ?? 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name }, ...(o.annotations ? { annotations: o.annotations } : {}) },
        spec: { containers: [{ name: "app", image: "registry.example/app:1" }, ...((o.containers ?? []) as never[])] },
      },
    },
  };
}

/** As upstream logtap left it (§22.2, §22.4): the annotation, the target and the sidecar container, no record. */
export function upstreamTapped(w: Workload, session: string, target: string, image = "ghcr.io/ppiankov/logtap-forwarder:latest"): Workload {
  const t = w.spec.template;
  t.metadata = { ...t.metadata, annotations: { ...t.metadata?.annotations, "logtap.dev/tapped": session, "logtap.dev/target": target } };
  t.spec.containers.push({ name: `logtap-forwarder-${session}`, image, env: [{ name: "LOGTAP_TARGET", value: target }] });
  return w;
}

/** As our tap writes it (the tap record; native mode puts the sidecar in initContainers). */
export function ourTapped(w: Workload, session: string, target: string, mode: "native" | "container" = "native", image?: string): Workload {
  return planTap(w, { session, target, mode, image }).workload;
}

/** The annotation without the container (someone removed the sidecar by hand): a stale annotation (§22.8). */
export function staleTapped(w: Workload, session: string): Workload {
  const t = w.spec.template;
  t.metadata = { ...t.metadata, annotations: { ...t.metadata?.annotations, "logtap.dev/tapped": session, "logtap.dev/target": "gone.example:3100" } };
  return w;
}

/** What `deploy` leaves behind: the labelled receiver pod (§22.8). */
export function receiverPod(namespace: string): Record<string, unknown> {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "logtap-receiver", namespace, labels: { "app.kubernetes.io/managed-by": "logtap", "app.kubernetes.io/name": "logtap-receiver" } },
    spec: { containers: [{ name: "receiver", image: "ghcr.io/ppiankov/logtap:latest", args: ["recv", "--headless"] }] },
  };
}

/** A stream of JSON documents, which kubectl reads one by one (the stand-in's OpenAPI has no schema for `kind: List`, so kubectl's validation refuses one). */
export async function apply(c: TestCluster, ...objects: unknown[]): Promise<void> {
  await c.kubectl.ok(["apply", "-f", "-"], { stdin: objects.map((o) => JSON.stringify(o)).join("\n") });
}

export async function createNamespace(c: TestCluster, name: string): Promise<void> {
  await c.kubectl.ok(["create", "namespace", name]);
}

/** Waits until kubectl sees `count` pods of the workload Running. */
export async function waitForRunningPods(c: TestCluster, namespace: string, app: string, count: number): Promise<void> {
  await waitFor(
    async () => {
      const pods = await c.kubectl.json(["get", "pods", "-n", namespace, "-l", `app=${app}`]);
      return pods.items.filter((p: any) => p.status?.phase === "Running").length === count;
    },
    20_000,
    `${count} running pods of ${namespace}/${app}`,
    100,
  );
}
