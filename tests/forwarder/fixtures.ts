/**
 * The forwarder as it runs in a tapped pod, without a container engine: a stand-in cluster whose kubelet runs the
 * pod's scripted containers, the `logtap-forwarder` Role and RoleBinding tap creates, a service-account directory
 * (token from a TokenRequest, the cluster CA, the namespace) and the pod's environment, and the forwarder started as
 * a process from the compiled binary or the sources.
 */

import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { DEFAULT_FORWARDER_IMAGE } from "../../src/kube/images.ts";
import type { KubeObject } from "../kube-stand-in/contract.ts";
import { createKubelet, type KubeletComponent } from "../kube-stand-in/kubelet/index.ts";
import { startStandIn, type StandIn } from "../kube-stand-in/stand-in.ts";
import { BUN, ROOT } from "../support/cli.ts";
import { tempDir } from "../support/receiver-process.ts";
import { waitFor } from "../support/wait-for.ts";

export const FORWARDER_BINARY = join(ROOT, "dist", "logtap-forwarder");
export const SESSION = "lt-0123456789abcdef";

export interface ForwarderTarget {
  name: string;
  cmd: string[];
}

/** The binary when built (CI builds it first, so there both always run), and the sources under Bun. */
export function forwarderTargets(): ForwarderTarget[] {
  const source = { name: "source", cmd: [BUN, join(ROOT, "forwarder", "main.ts")] };
  if (existsSync(FORWARDER_BINARY)) return [{ name: "binary", cmd: [FORWARDER_BINARY] }, source];
  if (process.env.CI) throw new Error("dist/logtap-forwarder is missing: run `npm run build` before the tests");
  return [source];
}

export interface Cluster {
  k: StandIn;
  kubelet: KubeletComponent;
  stop(): Promise<void>;
}

export async function startCluster(): Promise<Cluster> {
  const kubelet = createKubelet({ timeScale: 0.01 });
  const k = await startStandIn({ components: [kubelet] });
  return { k, kubelet, stop: () => k.stop() };
}

const SCRIPT = "stand-in.logtap.dev/logs.";

export interface PodOptions {
  /** Log scripts by container name (docs/testing.md, "Scripted container logs"). */
  scripts: Record<string, object>;
  labels?: Record<string, string>;
  serviceAccount?: string;
  /** Containers besides the scripted ones, e.g. another session's forwarder or an init container. */
  extraContainers?: { name: string; image: string }[];
  initContainers?: { name: string; image: string }[];
}

/** A tapped pod: the scripted app containers and our sidecar, as tap leaves it in container mode. */
export function tappedPod(name: string, o: PodOptions): KubeObject {
  const annotations = Object.fromEntries(Object.entries(o.scripts).map(([c, s]) => [`${SCRIPT}${c}`, JSON.stringify(s)]));
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "default", labels: o.labels, annotations },
    spec: {
      serviceAccountName: o.serviceAccount ?? "default",
      initContainers: o.initContainers,
      containers: [
        ...Object.keys(o.scripts).map((c) => ({ name: c, image: "registry.example/app:1" })),
        ...(o.extraContainers ?? []),
        { name: `logtap-forwarder-${SESSION}`, image: DEFAULT_FORWARDER_IMAGE },
      ],
    },
  };
}

export async function createPod(c: Cluster, pod: KubeObject): Promise<void> {
  const res = await c.k.fetch("/api/v1/namespaces/default/pods", { method: "POST", body: JSON.stringify(pod), headers: { "content-type": "application/json" } });
  if (res.status !== 201) throw new Error(`create pod: ${res.status} ${await res.text()}`);
}

export async function waitRunning(c: Cluster, name: string, container: string): Promise<void> {
  await waitFor(async () => {
    const pod = (await (await c.k.fetch(`/api/v1/namespaces/default/pods/${name}`)).json()) as { status?: { containerStatuses?: { name: string; state?: { running?: unknown } }[] } };
    return pod.status?.containerStatuses?.some((s) => s.name === container && s.state?.running) ?? false;
  }, 20_000, `${name}/${container} running`);
}

/** The Role and RoleBinding tap creates for the forwarder (src/kube/tap-run/forwarder-rbac.ts), written as the admin. */
export async function grantForwarderRole(c: Cluster, serviceAccount = "default"): Promise<void> {
  const rbac = "/apis/rbac.authorization.k8s.io/v1/namespaces/default";
  const post = async (path: string, body: object) => {
    const res = await c.k.fetch(`${rbac}/${path}`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
    if (res.status !== 201) throw new Error(`create ${path}: ${res.status} ${await res.text()}`);
  };
  await post("roles", {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "Role",
    metadata: { name: "logtap-forwarder" },
    rules: [{ apiGroups: [""], resources: ["pods", "pods/log"], verbs: ["get", "list", "watch"] }],
  });
  await post("rolebindings", {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: { name: "logtap-forwarder" },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "logtap-forwarder" },
    subjects: [{ kind: "ServiceAccount", name: serviceAccount, namespace: "default" }],
  });
}

/** What the kubelet mounts at /var/run/secrets/kubernetes.io/serviceaccount: a TokenRequest token, the CA, the namespace. */
export async function serviceAccountDir(c: Cluster, serviceAccount = "default"): Promise<string> {
  if (serviceAccount !== "default") {
    const res = await c.k.fetch("/api/v1/namespaces/default/serviceaccounts", { method: "POST", body: JSON.stringify({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: serviceAccount } }), headers: { "content-type": "application/json" } });
    if (res.status !== 201) throw new Error(`create service account: ${res.status} ${await res.text()}`);
  }
  const res = await c.k.fetch(`/api/v1/namespaces/default/serviceaccounts/${serviceAccount}/token`, {
    method: "POST",
    body: JSON.stringify({ apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", spec: { expirationSeconds: 3600 } }),
    headers: { "content-type": "application/json" },
  });
  if (res.status !== 201) throw new Error(`token request: ${res.status} ${await res.text()}`);
  const { status } = (await res.json()) as { status: { token: string } };
  const dir = join(tempDir("logtap-fwd-sa-"), "serviceaccount");
  mkdirSync(dir);
  writeFileSync(join(dir, "token"), status.token);
  writeFileSync(join(dir, "ca.crt"), c.k.ca.caCert);
  writeFileSync(join(dir, "namespace"), "default");
  return dir;
}

/** The sidecar's environment in the pod: tap's four variables, the service host the kubelet sets, the mount. */
export function podEnv(c: Cluster, saDir: string, pod: string, target: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    // No kubeconfig anywhere: the service account is what the forwarder must use.
    HOME: tempDir("logtap-fwd-home-"),
    KUBERNETES_SERVICE_HOST: "127.0.0.1",
    KUBERNETES_SERVICE_PORT: new URL(c.k.url).port,
    LOGTAP_TEST_SERVICEACCOUNT_DIR: saDir,
    LOGTAP_TARGET: target,
    LOGTAP_SESSION: SESSION,
    LOGTAP_POD_NAME: pod,
    LOGTAP_NAMESPACE: "default",
    LOGTAP_HEALTH_ADDR: "127.0.0.1:0",
    ...extra,
  };
}

export interface RunningForwarder {
  proc: Subprocess<"ignore", "pipe", "pipe">;
  stderr(): string;
  /** Resolves with the health server's port once it listens. */
  healthPort(): Promise<number>;
  waitForLog(pattern: RegExp, deadlineMs?: number): Promise<RegExpExecArray>;
  metrics(): Promise<Record<string, number>>;
  stop(signal?: NodeJS.Signals): Promise<number>;
}

export function startForwarder(target: ForwarderTarget, env: Record<string, string>, args: string[] = []): RunningForwarder {
  const proc = Bun.spawn([...target.cmd, ...args], { env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  let err = "";
  const decoder = new TextDecoder();
  const pump = (async () => {
    for await (const chunk of proc.stderr) err += decoder.decode(chunk, { stream: true });
  })();
  const waitForLog = async (pattern: RegExp, deadlineMs = 20_000) => {
    let m: RegExpExecArray | null = null;
    await waitFor(() => (m = pattern.exec(err)) !== null, deadlineMs, `${pattern} in the forwarder's stderr:\n${err}`);
    return m!;
  };
  const healthPort = async () => Number((await waitForLog(/health server listening on 127\.0\.0\.1:(\d+)/))[1]);
  return {
    proc,
    stderr: () => err,
    healthPort,
    waitForLog,
    async metrics() {
      const text = await (await fetch(`http://127.0.0.1:${await healthPort()}/metrics`)).text();
      const out: Record<string, number> = {};
      for (const line of text.split("\n")) {
        if (line.startsWith("#") || line.trim() === "") continue;
        const i = line.lastIndexOf(" ");
        out[line.slice(0, i)] = Number(line.slice(i + 1));
      }
      return out;
    },
    async stop(signal = "SIGTERM") {
      proc.kill(signal);
      const code = await proc.exited;
      await pump;
      return code;
    },
  };
}
