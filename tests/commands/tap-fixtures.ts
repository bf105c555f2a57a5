/**
 * What the tap and untap tests run against: the stand-in over mutual TLS with its controllers and kubelet (100×
 * cluster time: rollouts take a second or two), workloads created and read back through the real kubectl, a
 * receiver stand-in for the pre-check, and logtap run as users run it (the compiled binary, or the sources),
 * with its own HOME and working directory so no config file of the machine leaks in.
 */

import { afterAll, beforeAll } from "bun:test";
import { join } from "node:path";
import type { Workload } from "../../src/kube/tap/workload.ts";
import { createControllers } from "../kube-stand-in/controllers/index.ts";
import { createKubelet, type KubeletComponent } from "../kube-stand-in/kubelet/index.ts";
import { findKubectl, Kubectl, kubectlMissing } from "../kube-stand-in/kubectl.ts";
import { startStandIn, type StandIn } from "../kube-stand-in/stand-in.ts";
import { runCli, type CliTarget, type RunResult } from "../support/cli.ts";
import { tempDir } from "../support/receiver-process.ts";

export interface TapCluster {
  standIn: StandIn;
  kubelet: KubeletComponent;
  /** system:masters. */
  kubeconfig: string;
  kubectl: Kubectl;
  stop(): Promise<void>;
}

export async function startTapCluster(o: { version?: string } = {}): Promise<TapCluster> {
  const controllers = createControllers({ timeScale: 0.01 });
  const kubelet = createKubelet({ clock: controllers.clock });
  const standIn = await startStandIn({ version: o.version, components: [controllers, kubelet] });
  const kubeconfig = standIn.kubeconfig();
  return { standIn, kubelet, kubeconfig, kubectl: new Kubectl(kubeconfig, { bin: findKubectl() }), stop: () => standIn.stop() };
}

const home = tempDir("logtap-tap-home-");

/** `logtap <args>` against the cluster (`--kubeconfig` added), with a clean HOME and working directory. */
export function logtap(c: TapCluster, args: string[], o: { target?: CliTarget; env?: Record<string, string>; kubeconfig?: string } = {}): Promise<RunResult> {
  return runCli([...args, "--kubeconfig", o.kubeconfig ?? c.kubeconfig], { target: o.target, cwd: home, env: { HOME: home, KUBECONFIG: "", ...o.env } });
}

type Kind = "Deployment" | "StatefulSet" | "DaemonSet";

export interface WorkloadOptions {
  replicas?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  image?: string;
  /** Extra pod spec fields (initContainers, volumes, terminationGracePeriodSeconds …). */
  spec?: Record<string, unknown>;
}

export function workload(kind: Kind, namespace: string, name: string, o: WorkloadOptions = {}): Workload {
  const w: Workload = {
    apiVersion: "apps/v1",
    kind,
    metadata: { name, namespace, labels: { app: name, ...o.labels } },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name }, ...(o.annotations ? { annotations: o.annotations } : {}) },
        spec: { containers: [{ name: "app", image: o.image ?? "registry.example/app:1", env: [{ name: "MODE", value: "test" }] }], ...o.spec },
      },
    },
  };
  if (kind !== "DaemonSet") w.spec.replicas = o.replicas ?? 2;
  if (kind === "StatefulSet") w.spec.serviceName = name;
  return w;
}

export async function createNamespace(c: TapCluster, name: string, labels: Record<string, string> = {}): Promise<void> {
  await apply(c, { apiVersion: "v1", kind: "Namespace", metadata: { name, labels } });
}

export async function apply(c: TapCluster, ...objects: unknown[]): Promise<void> {
  // A stream of JSON objects, which kubectl applies one by one.
  await c.kubectl.ok(["apply", "-f", "-"], { stdin: objects.map((o) => JSON.stringify(o)).join("\n") });
}

const RESOURCE: Record<Kind, string> = { Deployment: "deployment", StatefulSet: "statefulset", DaemonSet: "daemonset" };

/** Creates the workloads and waits (kubectl rollout status) until each has rolled out. */
export async function createRolledOut(c: TapCluster, ...ws: Workload[]): Promise<void> {
  await apply(c, ...ws);
  for (const w of ws) await c.kubectl.ok(["rollout", "status", `${RESOURCE[w.kind as Kind]}/${w.metadata.name}`, "-n", w.metadata.namespace!, "--timeout", "30s"], { timeoutMs: 40_000 });
}

/** The object as kubectl shows it. */
export function get(c: TapCluster, kind: Kind, namespace: string, name: string): Promise<any> {
  return c.kubectl.json(["get", RESOURCE[kind], name, "-n", namespace]);
}

/** The pod template exactly as kubectl prints it (the byte-identity the tests compare). */
export async function templateText(c: TapCluster, kind: Kind, namespace: string, name: string): Promise<string> {
  return JSON.stringify((await get(c, kind, namespace, name)).spec.template);
}

/** A receiver for the pre-check: anything answering HTTP on /metrics will do. */
export function startFakeReceiver(): { target: string; stop(): void } {
  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("logtap_logs_received_total 0\n") });
  return { target: `127.0.0.1:${server.port}`, stop: () => server.stop(true) };
}

/** A loopback port nothing listens on. */
export function closedPort(): number {
  const s = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("") });
  const port = s.port!;
  s.stop(true);
  return port;
}

/** The session id a text-mode tap printed in its summary. */
export function sessionOf(stderr: string): string {
  const m = /Session: (lt-[0-9a-f]{16})/.exec(stderr);
  if (!m) throw new Error(`no session in:\n${stderr}`);
  return m[1]!;
}

export function tempFile(name: string): string {
  return join(tempDir("logtap-tap-"), name);
}

export type FakeReceiver = ReturnType<typeof startFakeReceiver>;

/**
 * The lifecycle every tap/untap test file shares: one stand-in cluster and one fake receiver for the file, handed to
 * `ready` once started; returns whether the tests must be skipped (kubectl missing on a developer's machine).
 */
export function withTapCluster(what: string, ready: (c: TapCluster, receiver: FakeReceiver) => void): boolean {
  const skip = kubectlMissing(what);
  let c: TapCluster | undefined;
  let receiver: FakeReceiver | undefined;
  beforeAll(async () => {
    if (skip) return;
    c = await startTapCluster();
    receiver = startFakeReceiver();
    ready(c, receiver);
  }, 30_000);
  afterAll(async () => {
    receiver?.stop();
    await c?.stop();
  });
  return skip;
}
