/**
 * Seeded random workloads for the tap property tests: the shapes real pod templates have — several app
 * containers, init containers, native sidecars already present (a mesh proxy), volumes, env from values, fields
 * and secrets, probes, resources, mesh annotations with port lists of their own, `imagePullPolicy: Always` on
 * some containers, a `logtap.dev/target` the user set, templates with and without `annotations`, odd key orders.
 */

import { mulberry32 } from "../../../scripts/bench/shared/prng.ts";
import type { TapOptions } from "../../../src/kube/tap/plan-tap.ts";
import type { Workload } from "../../../src/kube/tap/workload.ts";

export type Rand = ReturnType<typeof rng>;

export function rng(seed: number) {
  const next = mulberry32(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)]!;
  const chance = (p: number) => next() < p;
  /** The object's keys in a random order (the API returns struct order; hand-written JSON anything). */
  const shuffle = <T extends object>(o: T): T => {
    if (!chance(0.5)) return o;
    const keys = Object.keys(o);
    for (let i = keys.length - 1; i > 0; i--) {
      const j = int(0, i);
      [keys[i], keys[j]] = [keys[j]!, keys[i]!];
    }
    return Object.fromEntries(keys.map((k) => [k, (o as Record<string, unknown>)[k]])) as T;
  };
  const hex = (n: number) => Array.from({ length: n }, () => "0123456789abcdef"[int(0, 15)]).join("");
  return { next, int, pick, chance, shuffle, hex };
}

const IMAGES = ["nginx:1.27", "ghcr.io/acme/api:latest", "busybox", "registry.local:5000/app@sha256:" + "ab".repeat(32)];

function env(r: Rand, i: number) {
  return r.pick([
    () => ({ name: `PLAIN_${i}`, value: r.pick(["1", "true", "", "a: b", "multi\nline", "x'y\"z", "💥"]) }),
    () => ({ name: `POD_${i}`, valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: r.pick(["metadata.name", "status.podIP", "spec.nodeName"]) } } }),
    () => ({ name: `SECRET_${i}`, valueFrom: { secretKeyRef: { name: "db", key: "password", optional: r.chance(0.5) } } }),
    () => ({ name: `CM_${i}`, valueFrom: { configMapKeyRef: { name: "cfg", key: `k${i}` } } }),
  ])();
}

function probe(r: Rand) {
  return r.shuffle(
    r.pick([
      () => ({ httpGet: { path: "/ready", port: r.pick([8080, "http"]), scheme: "HTTP" }, periodSeconds: r.int(1, 30) }),
      () => ({ tcpSocket: { port: 5432 }, initialDelaySeconds: r.int(0, 10), timeoutSeconds: 1 }),
      () => ({ exec: { command: ["sh", "-c", "test -f /tmp/ok"] }, failureThreshold: 3 }),
    ])(),
  );
}

function container(r: Rand, name: string, kind: "app" | "init" | "native") {
  const c: Record<string, unknown> = { name, image: r.pick(IMAGES) };
  if (r.chance(0.6)) c.imagePullPolicy = r.pick(["Always", "IfNotPresent", "Always", "Never"]);
  if (kind === "native") c.restartPolicy = "Always";
  if (r.chance(0.3)) c.command = ["/bin/" + name];
  if (r.chance(0.3)) c.args = ["--port", String(r.int(1000, 9000)), "--flag=a,b"];
  if (r.chance(0.7)) c.env = Array.from({ length: r.int(0, 4) }, (_, i) => env(r, i));
  if (r.chance(0.3)) c.envFrom = [{ secretRef: { name: "bulk" } }];
  if (kind !== "init" && r.chance(0.6)) c.ports = [{ containerPort: r.int(80, 9000), name: "http", protocol: "TCP" }];
  if (r.chance(0.5)) c.resources = r.pick([{}, { requests: { cpu: "100m", memory: "128Mi" } }, { limits: { memory: "1Gi" }, requests: { cpu: "0.5" } }]);
  if (kind !== "init" && r.chance(0.5)) c.livenessProbe = probe(r);
  if (kind !== "init" && r.chance(0.4)) c.readinessProbe = probe(r);
  if (r.chance(0.4)) c.volumeMounts = [{ name: "data", mountPath: "/data", readOnly: r.chance(0.5) }];
  if (r.chance(0.2)) c.securityContext = { runAsNonRoot: true, readOnlyRootFilesystem: r.chance(0.5) };
  if (r.chance(0.3)) c.terminationMessagePath = "/dev/termination-log";
  return r.shuffle(c);
}

function annotations(r: Rand): Record<string, string> | undefined {
  if (r.chance(0.25)) return undefined;
  if (r.chance(0.1)) return {};
  const a: Record<string, string> = {};
  if (r.chance(0.3)) a["prometheus.io/scrape"] = "true";
  if (r.chance(0.35)) a["linkerd.io/inject"] = r.pick(["enabled", "enabled", "disabled"]);
  if (r.chance(0.5)) a["config.linkerd.io/skip-outbound-ports"] = r.pick(["4567,4568", "3100", "25, 587", "", "4567,"]);
  if (r.chance(0.3)) a["sidecar.istio.io/inject"] = r.pick(["true", "false"]);
  if (r.chance(0.15)) a["istio.io/rev"] = "canary";
  if (r.chance(0.3)) a["traffic.sidecar.istio.io/excludeOutboundPorts"] = r.pick(["3100", "9000,9001", " 443 "]);
  if (r.chance(0.15)) a["logtap.dev/target"] = "user-set:1234";
  if (r.chance(0.2)) a["kubectl.kubernetes.io/restartedAt"] = "2025-01-15T10:00:00Z";
  if (r.chance(0.1)) a["note"] = '{"json": [1, 2]}\nsecond line';
  return r.shuffle(a);
}

export function generateWorkload(r: Rand): Workload {
  const kind = r.pick(["Deployment", "StatefulSet", "DaemonSet"] as const);
  const app = `app-${r.hex(4)}`;
  const containers = Array.from({ length: r.int(1, 4) }, (_, i) => container(r, `c${i}`, "app"));
  const spec: Record<string, unknown> = { containers };
  if (r.chance(0.5)) {
    spec.initContainers = r.chance(0.15)
      ? []
      : Array.from({ length: r.int(1, 3) }, (_, i) => container(r, i === 0 && r.chance(0.5) ? "istio-proxy" : `init${i}`, r.chance(0.4) ? "native" : "init"));
  }
  if (r.chance(0.6)) {
    spec.volumes = r.chance(0.15)
      ? []
      : [
          { name: "data", emptyDir: {} },
          ...(r.chance(0.5) ? [{ name: "secret", secret: { secretName: "tls", defaultMode: 420 } }] : []),
          ...(r.chance(0.3) ? [{ name: "cfg", configMap: { name: "cfg", items: [{ key: "a", path: "a.conf" }] } }] : []),
        ];
  }
  if (r.chance(0.4)) spec.terminationGracePeriodSeconds = r.pick([5, 30, 60]);
  if (r.chance(0.4)) spec.serviceAccountName = "worker";
  if (r.chance(0.2)) spec.nodeSelector = { "kubernetes.io/os": "linux" };
  const metadata: Record<string, unknown> = { labels: { app, ...(r.chance(0.2) ? { "sidecar.istio.io/inject": "true" } : {}) } };
  const a = annotations(r);
  if (a !== undefined) metadata.annotations = a;
  if (r.chance(0.3)) metadata.creationTimestamp = null;
  const template: Record<string, unknown> = { metadata: r.shuffle(metadata), spec: r.shuffle(spec) };
  const wspec: Record<string, unknown> = { selector: { matchLabels: { app } }, template: r.shuffle(template) };
  if (kind !== "DaemonSet") wspec.replicas = r.int(1, 5);
  if (kind === "StatefulSet") wspec.serviceName = app;
  return {
    apiVersion: "apps/v1",
    kind,
    metadata: { name: app, namespace: r.pick(["default", "payments", "team-a"]), uid: r.hex(8), resourceVersion: String(r.int(1, 99999)) },
    spec: wspec as Workload["spec"],
    ...(r.chance(0.5) ? { status: { observedGeneration: 1, replicas: 1 } } : {}),
  } as Workload;
}

const TARGETS = ["recv.example:3100", "logtap-receiver.logtap.svc.cluster.local:3100", "recv", "http://recv:8080", "https://recv.example", "https://10.0.0.7:4318", "recv:4567", "recv:443"];

export function generateTapOptions(r: Rand, session: string): TapOptions {
  const fluentBit = r.chance(0.2);
  return {
    session,
    target: r.pick(TARGETS),
    mode: r.pick(["native", "container"] as const),
    forwarder: fluentBit ? "fluent-bit" : r.pick(["logtap", undefined]),
    image: fluentBit ? "fluent/fluent-bit:3.2" : r.pick([undefined, "registry.local/logtap-forwarder:0.2"]),
    memory: r.pick([undefined, "16Mi", "1.5Gi", "100M", "64"]),
    cpu: r.pick([undefined, "25m", "0.5", "1", "5e-2"]),
    pinImages: r.chance(0.4),
    namespaceMeta: r.chance(0.2) ? { labels: { "istio-injection": "enabled" } } : undefined,
  };
}

export function sessionId(r: Rand): string {
  return `lt-${r.hex(16)}`;
}
