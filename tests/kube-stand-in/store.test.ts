/**
 * The store's write rules on their own (no HTTP): one resourceVersion counter, no-op writes, generation, status
 * writes, preconditions, finalizers, watch replay and 410, the garbage collector and the namespace lifecycle.
 */

import { describe, expect, test } from "bun:test";
import type { KubeObject, WatchEvent } from "./contract.ts";
import { GarbageCollector } from "./garbage-collector.ts";
import { NamespaceLifecycle } from "./namespace-lifecycle.ts";
import { MemoryStore } from "./store.ts";
import { isApiStatusError } from "./status-errors.ts";

function storeWithNamespaces(opts: { historySize?: number } = {}): MemoryStore {
  const s = new MemoryStore(opts);
  s.create(s.mustType("", "namespaces"), { apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
  return s;
}

function deployment(name: string, image = "nginx:1.27"): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: "default" },
    spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "app", image }] } } },
  };
}

function statusOf(f: () => unknown): { code: number; message: string; reason: string } {
  try {
    f();
  } catch (e) {
    if (isApiStatusError(e)) return { code: e.code, message: e.message, reason: e.reason };
    throw e;
  }
  throw new Error("expected an API error");
}

describe("store writes", () => {
  test("create defaults a deployment as the real server does and starts at generation 1", () => {
    const s = storeWithNamespaces();
    const d = s.create(s.mustType("apps", "deployments"), deployment("web"));
    expect(d.metadata.generation).toBe(1);
    expect(d.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(d.metadata.resourceVersion).toBe(s.resourceVersion);
    expect(d.spec.replicas).toBe(1);
    expect(d.spec.strategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25%", maxSurge: "25%" } });
    expect(d.spec.template.spec.containers[0]).toEqual({
      name: "app",
      image: "nginx:1.27",
      imagePullPolicy: "IfNotPresent",
      resources: {},
      terminationMessagePath: "/dev/termination-log",
      terminationMessagePolicy: "File",
    });
    expect(d.spec.template.metadata.creationTimestamp).toBeNull();
    expect(d.status).toEqual({});
  });

  test("a missing namespace, an existing name and a stale resourceVersion get the real errors", () => {
    const s = storeWithNamespaces();
    const t = s.mustType("apps", "deployments");
    expect(statusOf(() => s.create(t, { ...deployment("web"), metadata: { name: "web", namespace: "nope" } }))).toEqual({ code: 404, reason: "NotFound", message: 'namespaces "nope" not found' });
    const d = s.create(t, deployment("web"));
    expect(statusOf(() => s.create(t, deployment("web")))).toEqual({ code: 409, reason: "AlreadyExists", message: 'deployments.apps "web" already exists' });
    const changed = structuredClone(d);
    changed.spec.replicas = 3;
    s.update(t, changed);
    expect(statusOf(() => s.update(t, changed))).toEqual({
      code: 409,
      reason: "Conflict",
      message: 'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again',
    });
    expect(statusOf(() => s.delete(t, "default", "gone"))).toEqual({ code: 404, reason: "NotFound", message: 'deployments.apps "gone" not found' });
  });

  test("a no-op update keeps the resourceVersion and sends no event; spec changes bump generation, status writes do not", () => {
    const s = storeWithNamespaces();
    const t = s.mustType("apps", "deployments");
    const d = s.create(t, deployment("web"));
    const events: WatchEvent[] = [];
    s.watch(t, "default", s.resourceVersion, (e) => events.push(e));
    const same = s.update(t, structuredClone(d));
    expect(same.metadata.resourceVersion).toBe(d.metadata.resourceVersion);
    expect(events).toEqual([]);
    const st = s.update(t, { ...structuredClone(d), status: { observedGeneration: 1, replicas: 1 } }, { subresource: "status" });
    expect(st.metadata.generation).toBe(1);
    expect(st.status).toEqual({ observedGeneration: 1, replicas: 1 });
    // A main-resource write cannot change status.
    const main = s.update(t, { ...structuredClone(st), status: { replicas: 99 } });
    expect(main.metadata.resourceVersion).toBe(st.metadata.resourceVersion);
    const scaled = structuredClone(st);
    scaled.spec.replicas = 2;
    const after = s.update(t, scaled);
    expect(after.metadata.generation).toBe(2);
    expect(after.status).toEqual({ observedGeneration: 1, replicas: 1 });
    expect(events.map((e) => e.type)).toEqual(["MODIFIED", "MODIFIED"]);
  });

  test("validation: selector must match the template, volumeMounts must name a volume", () => {
    const s = storeWithNamespaces();
    const t = s.mustType("apps", "deployments");
    const bad = deployment("web");
    bad.spec.template.metadata.labels = { app: "other" };
    expect(statusOf(() => s.create(t, bad)).message).toBe(
      'Deployment.apps "web" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`',
    );
    const mount = deployment("web");
    mount.spec.template.spec.containers[0].volumeMounts = [{ name: "data", mountPath: "/data" }];
    expect(statusOf(() => s.create(t, mount))).toMatchObject({ code: 422, message: 'Deployment.apps "web" is invalid: spec.template.spec.containers[0].volumeMounts[0].name: Not found: "data"' });
  });

  test("watch replays from a resourceVersion and answers 410 once it is compacted away", () => {
    const s = storeWithNamespaces({ historySize: 3 });
    const t = s.mustType("", "configmaps");
    const start = s.resourceVersion;
    for (let i = 0; i < 5; i++) s.create(t, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: `c${i}`, namespace: "default" } });
    const err = statusOf(() => s.watch(t, "default", start, () => {}));
    expect(err.code).toBe(410);
    expect(err.message).toMatch(/^too old resource version: \d+ \(\d+\)$/);
    const seen: string[] = [];
    const stop = s.watch(t, "default", String(Number(s.resourceVersion) - 2), (e) => seen.push(`${e.type} ${e.object.metadata.name}`));
    expect(seen).toEqual(["ADDED c3", "ADDED c4"]);
    s.delete(t, "default", "c0");
    expect(seen.at(-1)).toBe("DELETED c0");
    stop();
  });

  test("garbage collection follows ownerReferences; finalizers hold a delete", () => {
    const s = storeWithNamespaces();
    const gc = new GarbageCollector();
    gc.start({ store: s, server: { handleSubresource: () => () => {} }, version: "v1.31.0" });
    const cm = s.mustType("", "configmaps");
    const owner = s.create(cm, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "owner", namespace: "default" } });
    const ref = { apiVersion: "v1", kind: "ConfigMap", name: "owner", uid: owner.metadata.uid!, controller: true };
    s.create(cm, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "dep", namespace: "default", ownerReferences: [ref] } });
    s.create(cm, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "held", namespace: "default", finalizers: ["example.com/hold"], ownerReferences: [ref] } });
    s.delete(cm, "default", "owner");
    expect(s.get(cm, "default", "dep")).toBeUndefined();
    const held = s.get(cm, "default", "held")!;
    expect(held.metadata.deletionTimestamp).toBeString();
    held.metadata.finalizers = [];
    s.update(cm, held);
    expect(s.get(cm, "default", "held")).toBeUndefined();
    gc.stop();
  });

  test("a deleted namespace is Terminating until its contents are gone; new namespaces get a default ServiceAccount", async () => {
    const s = storeWithNamespaces();
    const ctx = { store: s, server: { handleSubresource: () => () => {} }, version: "v1.31.0" };
    const life = new NamespaceLifecycle("CA PEM");
    life.start(ctx);
    const ns = s.mustType("", "namespaces");
    s.create(ns, { apiVersion: "v1", kind: "Namespace", metadata: { name: "team" } });
    expect(s.get(s.mustType("", "serviceaccounts"), "team", "default")).toBeDefined();
    expect(s.get(s.mustType("", "configmaps"), "team", "kube-root-ca.crt")?.data).toEqual({ "ca.crt": "CA PEM" });
    s.delete(ns, undefined, "team");
    expect(s.get(ns, undefined, "team")).toBeUndefined();
    expect(s.list(s.mustType("", "serviceaccounts"), "team").items).toEqual([]);
    life.stop();
  });
});
