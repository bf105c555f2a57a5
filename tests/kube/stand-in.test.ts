/**
 * The cluster layer against the stand-in cluster (tests/kube-stand-in/): its own CA and client certificates
 * (mutual TLS), bearer tokens, real RBAC refusals, the real 404 and 409 bodies, conflicts injected between read and
 * write, watches, an unreachable server — each with the exit code the README gives it; and a compiled executable
 * (fixtures/list-pods-entry.ts) connecting to it with mutual TLS.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { connectCluster, type Cluster } from "../../src/kube/connect.ts";
import { isNotFound } from "../../src/kube/errors/kube-error.ts";
import { formatError } from "../../src/common/errors.ts";
import { startStandIn, type StandIn } from "../kube-stand-in/stand-in.ts";
import { OTHER_WRITER_ANNOTATION } from "../kube-stand-in/faults.ts";
import { compileListPods } from "./support/list-pods-binary.ts";
import { kubeDir } from "./support/kubeconfig.ts";

let k: StandIn;
let admin: Cluster;
const DEPLOYMENTS = "/apis/apps/v1/namespaces/default/deployments";

const deployment = (name: string, namespace = "default") => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name, namespace },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "app", image: "nginx:1.27" }] } },
  },
});

const connect = (kubeconfig: string, timeoutMs = 5000) => connectCluster({ kubeconfig, timeoutMs, env: {} });

beforeAll(async () => {
  k = await startStandIn();
  admin = connect(k.kubeconfig());
  await admin.request({ method: "POST", path: DEPLOYMENTS, body: deployment("web") });
}, 30_000);
afterAll(() => k.stop());

describe("identity", () => {
  test("the stand-in's CA and an admin client certificate: version, raw and typed reads", async () => {
    expect((await admin.serverVersion()).gitVersion).toBe(k.version);
    const { apps } = await admin.api();
    const list = await apps.listNamespacedDeployment({ namespace: "default" });
    expect(list.items.map((d) => d.metadata?.name)).toContain("web");
  });

  test("a bearer token identity", async () => {
    k.setRules("tokenuser", [{ verbs: ["get"], apiGroups: ["apps"], resources: ["deployments"], namespaces: ["default"] }]);
    const c = connect(k.kubeconfig({ user: "tokenuser", token: "s3cret-token" }));
    expect((await c.request<{ metadata: { name: string } }>({ path: `${DEPLOYMENTS}/web` })).metadata.name).toBe("web");
  });
});

describe("refusals and missing objects", () => {
  test("RBAC: alice may read but not patch — 403 with the server's message, exit 4", async () => {
    k.setRules("alice", [{ verbs: ["get", "list"], apiGroups: ["apps"], resources: ["deployments"], namespaces: ["default"] }]);
    const alice = connect(k.kubeconfig({ user: "alice" }));
    await alice.request({ path: `${DEPLOYMENTS}/web` });
    const err = await alice.patch(`${DEPLOYMENTS}/web`, "strategic", { metadata: { annotations: { a: "1" } } }).catch((e) => e);
    expect(formatError(err, false)).toEqual({
      code: 4,
      text: 'error: deployments.apps "web" is forbidden: User "alice" cannot patch resource "deployments" in API group "apps" in the namespace "default"',
    });
  });

  test("a missing workload and a missing namespace: exit 3", async () => {
    const missing = await admin.request({ path: `${DEPLOYMENTS}/nope` }).catch((e) => e);
    expect(formatError(missing, false)).toEqual({ code: 3, text: 'error: deployments.apps "nope" not found' });
    const ns = await admin.request({ path: "/api/v1/namespaces/nowhere" }).catch((e) => e);
    expect(formatError(ns, false)).toEqual({ code: 3, text: 'error: namespaces "nowhere" not found' });
    expect(isNotFound(await admin.request({ method: "POST", path: "/apis/apps/v1/namespaces/nowhere/deployments", body: deployment("x", "nowhere") }).catch((e) => e))).toBe(true);
  });
});

describe("writes", () => {
  test("read-modify-write under two conflicting writers: re-read, redo, the other writer's change kept", async () => {
    k.faults.conflictNextWrites({ group: "apps", resource: "deployments", namespace: "default", name: "web" }, 2);
    const r = await admin.readModifyWrite<any>(`${DEPLOYMENTS}/web`, (d) => {
      d.spec.template.metadata.annotations = { ...d.spec.template.metadata.annotations, "logtap.dev/test": "1" };
      return d;
    });
    expect([r.changed, r.attempts]).toEqual([true, 3]);
    expect(r.object.metadata.annotations?.[OTHER_WRITER_ANNOTATION]).toBeDefined();
    expect(r.object.spec.template.metadata.annotations["logtap.dev/test"]).toBe("1");
  });

  test("a strategic merge patch with a stale resourceVersion is a 409", async () => {
    const current = await admin.request<{ metadata: { resourceVersion: string } }>({ path: `${DEPLOYMENTS}/web` });
    await admin.patch(`${DEPLOYMENTS}/web`, "strategic", { metadata: { labels: { v: "1" } } }, { resourceVersion: current.metadata.resourceVersion });
    const stale = await admin.patch(`${DEPLOYMENTS}/web`, "strategic", { metadata: { labels: { v: "2" } } }, { resourceVersion: current.metadata.resourceVersion }).catch((e) => e);
    expect(stale.status).toBe(409);
  });
});

describe("streams and reachability", () => {
  test("a watch from the list's resourceVersion sees a change", async () => {
    const list = await admin.request<{ metadata: { resourceVersion: string } }>({ path: DEPLOYMENTS });
    const ctl = new AbortController();
    // Not awaited before the change: the stand-in sends the response headers with the first event.
    const opening = admin.watch(DEPLOYMENTS, { resourceVersion: list.metadata.resourceVersion }, ctl.signal);
    await admin.patch(`${DEPLOYMENTS}/web`, "merge", { metadata: { labels: { watched: "yes" } } });
    for await (const e of await opening) {
      if (e.type === "MODIFIED" && (e.object.metadata as { labels?: Record<string, string> }).labels?.watched === "yes") ctl.abort();
    }
    expect(ctl.signal.aborted).toBe(true);
  });

  test("an API server that accepts and never answers: a timeout, exit 5", async () => {
    const quick = connect(k.kubeconfig(), 300);
    await quick.serverVersion();
    await k.faults.setUnreachable("hang");
    try {
      const err = await quick.serverVersion().catch((e) => e);
      expect(formatError(err, false)).toEqual({ code: 5, text: `error: GET /version: timeout: the Kubernetes API server at ${k.url} did not answer within 300ms` });
    } finally {
      await k.faults.setReachable();
    }
  });
});

test("a compiled executable with the cluster layer: the stand-in's CA, a client certificate, the pods listed raw and typed", async () => {
  const run = compileListPods(kubeDir());
  const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "probe", namespace: "default" }, spec: { containers: [{ name: "app", image: "nginx:1.27" }] } };
  await admin.request({ method: "POST", path: "/api/v1/namespaces/default/pods", body: pod });
  const r = await run(k.kubeconfig());
  expect(r.stderr).toBe("");
  expect(JSON.parse(r.stdout)).toEqual({ version: k.version, raw: ["probe"], typed: ["probe"] });
  expect(r.code).toBe(0);
}, 120_000);
