/**
 * Writes: read-modify-write with the resourceVersion as precondition (conflicts injected between read and write
 * are retried on a fresh read, boundedly; unknown fields survive), and patches with their content type named and
 * an optional resourceVersion precondition, raw and through client-node's typed client.
 */

import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { connectCluster } from "../../src/kube/connect.ts";
import { isConflict } from "../../src/kube/errors/kube-error.ts";
import { formatError } from "../../src/common/errors.ts";
import { pki } from "./support/pki.ts";
import { json, startFakeApiServer, status, type FakeApiServer } from "./support/fake-apiserver.ts";
import { kubeDir, singleContext, writeKubeconfig } from "./support/kubeconfig.ts";

const PATH = "/apis/apps/v1/namespaces/default/deployments/web";
let server: FakeApiServer;
let rv = 100;
let deployment: any;
/** Writes by "someone else" that land between our read and our write. */
let conflictsToInject = 0;

function fresh() {
  rv = 100;
  deployment = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "default", resourceVersion: String(rv), annotations: { owner: "team-a" } },
    // A field this client-node version has never heard of must come back unchanged.
    spec: { replicas: 2, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "app", image: "nginx:1" }], futureField: { keep: true } } } },
  };
}

const CONFLICT = 'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again';

beforeAll(async () => {
  server = await startFakeApiServer({ auth: "client-cert" });
  server.route("GET", PATH, (_q, res) => json(res, deployment));
  const write = (q: { body: string }, res: Parameters<Parameters<FakeApiServer["route"]>[2]>[1], apply: (body: any) => any) => {
    const body = JSON.parse(q.body);
    if (conflictsToInject > 0) {
      conflictsToInject--;
      deployment.metadata.resourceVersion = String(++rv);
      deployment.metadata.annotations.other = `writer-${rv}`;
    }
    const precondition = Array.isArray(body) ? body.find((op: any) => op.path === "/metadata/resourceVersion")?.value : body.metadata?.resourceVersion;
    if (precondition !== undefined && precondition !== deployment.metadata.resourceVersion) return status(res, 409, "Conflict", CONFLICT);
    deployment = apply(body);
    deployment.metadata.resourceVersion = String(++rv);
    json(res, deployment);
  };
  server.route("PUT", PATH, (q, res) => write(q, res, (body) => body));
  server.route("PATCH", PATH, (q, res) => write(q, res, (body) => (Array.isArray(body) ? deployment : { ...deployment, metadata: { ...deployment.metadata, annotations: { ...deployment.metadata.annotations, ...body.metadata?.annotations } } })));
});
afterAll(() => server.close());
beforeEach(() => {
  fresh();
  conflictsToInject = 0;
  server.requests.length = 0;
});

function connect() {
  const p = pki();
  const file = writeKubeconfig(kubeDir(), "kc", singleContext(server.url, { "certificate-authority": p.caFile }, { "client-certificate": p.clientCertFile, "client-key": p.clientKeyFile }));
  return connectCluster({ kubeconfig: file, timeoutMs: 5000, env: {} });
}

const tap = (d: any) => {
  d.spec.template.metadata.annotations = { ...d.spec.template.metadata.annotations, "logtap.dev/tapped": "s1" };
  return d;
};
const writes = () => server.requests.filter((r) => r.method !== "GET");

describe("read-modify-write", () => {
  test("one read, one PUT with the version read as precondition and logtap as field manager; unknown fields kept", async () => {
    const r = await connect().readModifyWrite(PATH, tap);
    expect([r.changed, r.attempts, r.object.metadata?.resourceVersion]).toEqual([true, 1, "101"]);
    const [put] = writes();
    const sent = JSON.parse(put!.body);
    expect(sent.metadata.resourceVersion).toBe("100");
    expect(sent.spec.template.spec.futureField).toEqual({ keep: true });
    expect(put!.query.get("fieldManager")).toBe("logtap");
    expect(put!.headers["content-type"]).toBe("application/json");
  });

  test("conflicts injected between read and write: re-read and change again, each time from the fresh object", async () => {
    conflictsToInject = 2;
    const seenVersions: string[] = [];
    const r = await connect().readModifyWrite(PATH, (d: any) => {
      seenVersions.push(d.metadata.resourceVersion);
      return tap(d);
    });
    expect([r.changed, r.attempts]).toEqual([true, 3]);
    expect(seenVersions).toEqual(["100", "101", "102"]);
    // The other writer's change survived: we never overwrote it blindly.
    expect(deployment.metadata.annotations.other).toBe("writer-102");
    expect(deployment.spec.template.metadata.annotations["logtap.dev/tapped"]).toBe("s1");
  });

  test("bounded: after the last attempt the conflict is the error (exit 1), saying it gave up", async () => {
    conflictsToInject = 99;
    const err = await connect()
      .readModifyWrite(PATH, tap, { attempts: 3 })
      .catch((e) => e);
    expect(isConflict(err)).toBe(true);
    expect(formatError(err, false)).toEqual({ code: 1, text: `error: ${CONFLICT} (gave up after 3 attempts: the object kept changing under us)` });
    expect(writes()).toHaveLength(3);
  });

  test("nothing to change (undefined, or the same object): no write at all", async () => {
    const c = connect();
    expect((await c.readModifyWrite(PATH, () => undefined)).changed).toBe(false);
    expect((await c.readModifyWrite(PATH, (d) => d)).changed).toBe(false);
    expect(writes()).toEqual([]);
  });

  test("server-side dry run", async () => {
    await connect().readModifyWrite(PATH, tap, { dryRun: true });
    expect(writes()[0]!.query.get("dryRun")).toBe("All");
  });
});

describe("patches", () => {
  test.each([
    ["strategic", "application/strategic-merge-patch+json"],
    ["merge", "application/merge-patch+json"],
  ] as const)("%s patch: its content type, the version as precondition when given", async (type, contentType) => {
    const c = connect();
    await c.patch(PATH, type, { metadata: { annotations: { a: "1" } } }, { resourceVersion: "100" });
    const [p] = writes();
    expect(p!.headers["content-type"]).toBe(contentType);
    expect(JSON.parse(p!.body)).toEqual({ metadata: { annotations: { a: "1" }, resourceVersion: "100" } });
    const stale = await c.patch(PATH, type, { metadata: { annotations: { a: "2" } } }, { resourceVersion: "100" }).catch((e) => e);
    expect(isConflict(stale)).toBe(true);
  });

  test("JSON patch: the precondition is a replace of /metadata/resourceVersion, so a stale one is 409, not 422", async () => {
    await connect().patch(PATH, "json", [{ op: "add", path: "/metadata/annotations/b", value: "2" }], { resourceVersion: "100" });
    const [p] = writes();
    expect(p!.headers["content-type"]).toBe("application/json-patch+json");
    expect(JSON.parse(p!.body)).toEqual([
      { op: "replace", path: "/metadata/resourceVersion", value: "100" },
      { op: "add", path: "/metadata/annotations/b", value: "2" },
    ]);
  });

  test("client-node's typed patch sends json-patch by default; callOptions({patch}) names the type", async () => {
    const { apps, options } = await connect().api();
    await apps.patchNamespacedDeployment({ name: "web", namespace: "default", body: { metadata: { annotations: { t: "1" } } } }, options({ patch: "strategic" }));
    expect(writes().at(-1)!.headers["content-type"]).toBe("application/strategic-merge-patch+json");
    await apps.patchNamespacedDeployment({ name: "web", namespace: "default", body: [{ op: "test", path: "/kind", value: "Deployment" }] });
    expect(writes().at(-1)!.headers["content-type"]).toBe("application/json-patch+json");
  });
});
