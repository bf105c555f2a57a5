/**
 * The stand-in through the real kubectl over mutual TLS: create/apply/get/patch (strategic, merge, JSON)/replace/
 * delete, the write semantics (resourceVersion, generation, no-op writes, 409 on a stale resourceVersion), garbage
 * collection, selectors, tables, and the exact 404 bodies.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Kubectl, kubectlMissing } from "./kubectl.ts";
import { startStandIn, type StandIn } from "./stand-in.ts";

const skip = kubectlMissing("the stand-in's kubectl CRUD tests");

let k: StandIn;
let kubectl: Kubectl;

beforeAll(async () => {
  if (skip) return;
  k = await startStandIn();
  kubectl = new Kubectl(k.kubeconfig());
});
afterAll(async () => {
  await k?.stop();
});

function deployment(name: string, o: { image?: string; replicas?: number; labels?: Record<string, string> } = {}) {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, labels: o.labels ?? { app: name } },
    spec: {
      replicas: o.replicas ?? 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: "app", image: o.image ?? "nginx:1.27", env: [{ name: "A", value: "1" }] }] },
      },
    },
  };
}

describe.skipIf(skip)("kubectl against the stand-in", () => {
  test("create, get and the table kubectl prints", async () => {
    expect(await kubectl.ok(["create", "-f", "-"], { stdin: JSON.stringify(deployment("web")) })).toBe("deployment.apps/web created\n");
    const d = await kubectl.json(["get", "deployment", "web"]);
    expect(d.metadata.generation).toBe(1);
    expect(d.metadata.namespace).toBe("default");
    expect(d.spec.template.spec.containers[0].imagePullPolicy).toBe("IfNotPresent");
    const table = await kubectl.ok(["get", "deploy"]);
    expect(table.split("\n")[0]).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/);
    expect(table).toMatch(/^web\s+0\/2\s+0\s+0\s+\d+s$/m);
    const wide = await kubectl.ok(["get", "deploy", "web", "-o", "wide"]);
    expect(wide).toMatch(/CONTAINERS\s+IMAGES\s+SELECTOR/);
    expect(wide).toMatch(/app\s+nginx:1\.27\s+app=web/);
    const again = await kubectl.run(["create", "-f", "-"], { stdin: JSON.stringify(deployment("web")) });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('Error from server (AlreadyExists): error when creating "STDIN": deployments.apps "web" already exists');
  });

  test("apply creates, changes the spec (generation +1), and a repeated apply changes nothing", async () => {
    const obj = deployment("api");
    expect(await kubectl.ok(["apply", "-f", "-"], { stdin: JSON.stringify(obj) })).toBe("deployment.apps/api created\n");
    const first = await kubectl.json(["get", "deploy", "api"]);
    obj.spec.replicas = 3;
    expect(await kubectl.ok(["apply", "-f", "-"], { stdin: JSON.stringify(obj) })).toBe("deployment.apps/api configured\n");
    const second = await kubectl.json(["get", "deploy", "api"]);
    expect(second.spec.replicas).toBe(3);
    expect(second.metadata.generation).toBe(first.metadata.generation + 1);
    expect(Number(second.metadata.resourceVersion)).toBeGreaterThan(Number(first.metadata.resourceVersion));
    expect(await kubectl.ok(["apply", "-f", "-"], { stdin: JSON.stringify(obj) })).toBe("deployment.apps/api unchanged\n");
    const third = await kubectl.json(["get", "deploy", "api"]);
    expect(third.metadata.resourceVersion).toBe(second.metadata.resourceVersion);
    // A label is metadata, not spec: no new generation (for a StatefulSet or ReplicaSet annotations do not count either).
    await kubectl.ok(["label", "deploy", "api", "tier=back"]);
    const labelled = await kubectl.json(["get", "deploy", "api"]);
    expect(labelled.metadata.generation).toBe(second.metadata.generation);
    expect(labelled.metadata.labels.tier).toBe("back");
  });

  test("server-side apply creates and updates; without a field manager it is the real 422", async () => {
    const obj = deployment("ssa", { replicas: 1 });
    expect(await kubectl.ok(["apply", "--server-side", "-f", "-"], { stdin: JSON.stringify(obj) })).toBe("deployment.apps/ssa serverside-applied\n");
    obj.spec.replicas = 4;
    await kubectl.ok(["apply", "--server-side", "-f", "-"], { stdin: JSON.stringify(obj) });
    expect((await kubectl.json(["get", "deploy", "ssa"])).spec.replicas).toBe(4);
    const res = await k.fetch("/apis/apps/v1/namespaces/default/deployments/ssa", { method: "PATCH", headers: { "content-type": "application/apply-patch+yaml" }, body: JSON.stringify(obj) });
    expect(res.status).toBe(422);
    expect((await res.json()).message).toBe('PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
  });

  test("the three patch types, as kubectl sends them", async () => {
    await kubectl.ok(["create", "-f", "-"], { stdin: JSON.stringify(deployment("patchme")) });
    // Strategic merge: containers are merged by name, the app container keeps its env.
    await kubectl.ok(["patch", "deploy", "patchme", "-p", JSON.stringify({ spec: { template: { spec: { containers: [{ name: "side", image: "busybox:1.36" }] } } } })]);
    let d = await kubectl.json(["get", "deploy", "patchme"]);
    expect(d.spec.template.spec.containers.map((c: any) => c.name).sort()).toEqual(["app", "side"]);
    expect(d.spec.template.spec.containers.find((c: any) => c.name === "app").env).toEqual([{ name: "A", value: "1" }]);
    expect(d.metadata.generation).toBe(2);
    // JSON merge patch replaces the list whole.
    await kubectl.ok(["patch", "deploy", "patchme", "--type=merge", "-p", JSON.stringify({ spec: { template: { spec: { containers: [{ name: "only", image: "busybox:1.36" }] } } } })]);
    d = await kubectl.json(["get", "deploy", "patchme"]);
    expect(d.spec.template.spec.containers.map((c: any) => c.name)).toEqual(["only"]);
    // JSON patch: a failed test is 422 and changes nothing.
    const failed = await kubectl.run(["patch", "deploy", "patchme", "--type=json", "-p", JSON.stringify([{ op: "test", path: "/spec/replicas", value: 99 }, { op: "replace", path: "/spec/replicas", value: 5 }])]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("The request is invalid");
    expect((await kubectl.json(["get", "deploy", "patchme"])).spec.replicas).toBe(2);
    await kubectl.ok(["patch", "deploy", "patchme", "--type=json", "-p", JSON.stringify([{ op: "test", path: "/spec/replicas", value: 2 }, { op: "replace", path: "/spec/replicas", value: 5 }])]);
    expect((await kubectl.json(["get", "deploy", "patchme"])).spec.replicas).toBe(5);
    // A patch that changes nothing keeps the resourceVersion.
    const before = (await kubectl.json(["get", "deploy", "patchme"])).metadata.resourceVersion;
    expect(await kubectl.ok(["patch", "deploy", "patchme", "--type=merge", "-p", '{"spec":{"replicas":5}}'])).toBe("deployment.apps/patchme patched (no change)\n");
    expect((await kubectl.json(["get", "deploy", "patchme"])).metadata.resourceVersion).toBe(before);
    // An unknown patch type is 415.
    const res = await k.fetch("/apis/apps/v1/namespaces/default/deployments/patchme", { method: "PATCH", headers: { "content-type": "application/x-nope" }, body: "{}" });
    expect(res.status).toBe(415);
  });

  test("a stale resourceVersion is 409 with the real message; a patch carrying it too", async () => {
    await kubectl.ok(["create", "-f", "-"], { stdin: JSON.stringify(deployment("stale")) });
    const old = await kubectl.json(["get", "deploy", "stale"]);
    await kubectl.ok(["scale", "deploy", "stale", "--replicas=3"]);
    old.spec.replicas = 7;
    const r = await kubectl.run(["replace", "-f", "-"], { stdin: JSON.stringify(old) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'Error from server (Conflict): error when replacing "STDIN": Operation cannot be fulfilled on deployments.apps "stale": the object has been modified; please apply your changes to the latest version and try again',
    );
    const p = await kubectl.run(["patch", "deploy", "stale", "--type=merge", "-p", JSON.stringify({ metadata: { resourceVersion: old.metadata.resourceVersion }, spec: { replicas: 9 } })]);
    expect(p.code).toBe(1);
    expect(p.stderr).toContain("the object has been modified");
    expect((await kubectl.json(["get", "deploy", "stale"])).spec.replicas).toBe(3);
  });

  test("deleting an owner deletes its dependents (ownerReferences, background propagation)", async () => {
    await kubectl.ok(["create", "-f", "-"], { stdin: JSON.stringify(deployment("owner")) });
    const owner = await kubectl.json(["get", "deploy", "owner"]);
    const cm = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "owned", ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name: "owner", uid: owner.metadata.uid, controller: true }] },
      data: { a: "b" },
    };
    await kubectl.ok(["create", "-f", "-"], { stdin: JSON.stringify(cm) });
    expect(await kubectl.ok(["delete", "deploy", "owner"])).toBe('deployment.apps "owner" deleted\n');
    const gone = await kubectl.run(["get", "cm", "owned"]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('Error from server (NotFound): configmaps "owned" not found');
    const orphanOwner = await kubectl.json(["get", "deploy", "web"]);
    await kubectl.ok(["create", "-f", "-"], { stdin: JSON.stringify({ ...cm, metadata: { ...cm.metadata, name: "kept", ownerReferences: [{ ...cm.metadata.ownerReferences[0], name: "web", uid: orphanOwner.metadata.uid }] } }) });
    await kubectl.ok(["delete", "deploy", "web", "--cascade=orphan"]);
    const kept = await kubectl.json(["get", "cm", "kept"]);
    expect(kept.metadata.ownerReferences).toBeUndefined();
  });

  test("label selectors (the full grammar) and field selectors", async () => {
    for (const [name, labels] of [
      ["sel-a", { app: "sel-a", seltier: "front", selenv: "prod" }],
      ["sel-b", { app: "sel-b", seltier: "back", selenv: "prod" }],
      ["sel-c", { app: "sel-c", seltier: "back" }],
    ] as const) {
      await kubectl.ok(["create", "-f", "-"], { stdin: JSON.stringify(deployment(name, { labels: { ...labels } })) });
    }
    const names = async (...args: string[]) => (await kubectl.ok(["get", "deploy", "-o", "name", ...args])).trim().split("\n").filter(Boolean).sort();
    expect(await names("-l", "seltier=back")).toEqual(["deployment.apps/sel-b", "deployment.apps/sel-c"]);
    expect(await names("-l", "seltier==back,selenv")).toEqual(["deployment.apps/sel-b"]);
    expect(await names("-l", "seltier!=back,selenv")).toEqual(["deployment.apps/sel-a"]);
    expect(await names("-l", "seltier in (front, back),!selenv")).toEqual(["deployment.apps/sel-c"]);
    expect(await names("-l", "app notin (sel-a,sel-b),seltier")).toEqual(["deployment.apps/sel-c"]);
    expect(await names("--field-selector", "metadata.name=sel-b")).toEqual(["deployment.apps/sel-b"]);
    const bad = await kubectl.run(["get", "deploy", "-l", "seltier in (a"]);
    expect(bad.code).toBe(1);
    const badField = await kubectl.run(["get", "pods", "--field-selector", "spec.bogus=1"]);
    expect(badField.code).toBe(1);
    expect(badField.stderr).toContain("Error from server (BadRequest)");
    expect(badField.stderr).toContain("field label not supported: spec.bogus");
  });

  test("status and spec are written apart; a server-side dry run stores nothing; lists come in chunks", async () => {
    await kubectl.ok(["create", "-f", "-"], { stdin: JSON.stringify(deployment("split")) });
    const start = await kubectl.json(["get", "deploy", "split"]);
    await kubectl.ok(["patch", "deploy", "split", "--subresource=status", "--type=merge", "-p", '{"status":{"observedGeneration":1,"replicas":2},"spec":{"replicas":9}}']);
    let d = await kubectl.json(["get", "deploy", "split"]);
    expect(d.status).toEqual({ observedGeneration: 1, replicas: 2 });
    expect(d.spec.replicas).toBe(2);
    expect(d.metadata.generation).toBe(start.metadata.generation);
    await kubectl.ok(["patch", "deploy", "split", "--type=merge", "-p", '{"status":{"replicas":7}}']);
    d = await kubectl.json(["get", "deploy", "split"]);
    expect(d.status.replicas).toBe(2);
    const scaled = JSON.stringify({ ...deployment("split"), spec: { ...deployment("split").spec, replicas: 6 } });
    expect(await kubectl.ok(["apply", "--dry-run=server", "-f", "-"], { stdin: scaled })).toBe("deployment.apps/split configured (server dry run)\n");
    expect((await kubectl.json(["get", "deploy", "split"])).spec.replicas).toBe(2);
    const chunked = await kubectl.ok(["get", "deploy", "--chunk-size=1", "-o", "name", "-v=6"]);
    const all = await kubectl.ok(["get", "deploy", "-o", "name"]);
    expect(chunked).toBe(all);
    const pages = k.requests.filter((r) => r.resource === "deployments" && r.verb === "list" && r.query.includes("limit=1"));
    expect(pages.length).toBe(all.trim().split("\n").length);
    expect(pages.slice(1).every((r) => r.query.includes("continue="))).toBe(true);
  });

  test("unknown fields in a pod template: 400 with kubectl's strict validation, dropped with a warning otherwise", async () => {
    const typo: any = deployment("typo");
    typo.spec.template.spec.containers[0].imagePullPolcy = "Always";
    const strict = await kubectl.run(["create", "-f", "-"], { stdin: JSON.stringify(typo) });
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.template.spec.containers[0].imagePullPolcy"');
    const warned = await kubectl.run(["create", "--validate=warn", "-f", "-"], { stdin: JSON.stringify(typo) });
    expect(warned.code).toBe(0);
    expect(warned.stderr).toBe('Warning: unknown field "spec.template.spec.containers[0].imagePullPolcy"\n');
    const stored = await kubectl.json(["get", "deploy", "typo"]);
    expect(stored.spec.template.spec.containers[0].imagePullPolcy).toBeUndefined();
  });

  test("apply -f of a kind: List creates and updates each item, each still validated strictly by the server", async () => {
    const since = k.lastRequest;
    const cm = (name: string, value: string) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name }, data: { v: value } });
    const list = (...items: unknown[]) => JSON.stringify({ apiVersion: "v1", kind: "List", items });
    expect(await kubectl.ok(["apply", "-f", "-"], { stdin: list(cm("list-a", "1"), deployment("list-web")) })).toBe("configmap/list-a created\ndeployment.apps/list-web created\n");
    const changed = deployment("list-web", { replicas: 3 });
    expect(await kubectl.ok(["apply", "-f", "-"], { stdin: list(cm("list-a", "2"), changed) })).toBe("configmap/list-a configured\ndeployment.apps/list-web configured\n");
    expect((await kubectl.json(["get", "configmap", "list-a"])).data).toEqual({ v: "2" });
    expect((await kubectl.json(["get", "deploy", "list-web"])).spec.replicas).toBe(3);
    // The document kubectl downloads to validate a List (openapi-v2.ts) has no definitions: the items' checking is
    // still the server's, asked for with fieldValidation=Strict.
    const typo: any = deployment("list-typo");
    typo.spec.template.spec.containers[0].imagePullPolcy = "Always";
    const strict = await kubectl.run(["apply", "-f", "-"], { stdin: list(cm("list-b", "1"), typo) });
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('strict decoding error: unknown field "spec.template.spec.containers[0].imagePullPolcy"');
    expect((await kubectl.run(["get", "deploy", "list-typo"])).code).toBe(1);
    const writes = k.requestsSince(since).filter((r) => r.method === "POST" || r.method === "PATCH");
    expect(writes.map((r) => `${r.method} ${r.resource} ${r.code}`)).toEqual([
      "POST configmaps 201", "POST deployments 201", "PATCH configmaps 200", "PATCH deployments 200", "POST configmaps 201", "POST deployments 400",
    ]);
    expect(writes.filter((r) => !r.query.includes("fieldValidation=Strict"))).toEqual([]);
    // Clients that do not ask for protobuf get the same empty document as JSON.
    expect(await (await k.fetch("/openapi/v2")).json()).toEqual({ swagger: "2.0", info: { title: "Kubernetes", version: k.server.version }, paths: {}, definitions: {} });
  });

  test("404 bodies: a missing object, create in a missing namespace; a list there is empty", async () => {
    const missing = await k.fetch("/apis/apps/v1/namespaces/default/deployments/nope");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: 'deployments.apps "nope" not found',
      reason: "NotFound",
      details: { name: "nope", group: "apps", kind: "deployments" },
      code: 404,
    });
    const create = await k.fetch("/api/v1/namespaces/ghost/configmaps", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" } }) });
    expect(create.status).toBe(404);
    expect(await create.json()).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: 'namespaces "ghost" not found',
      reason: "NotFound",
      details: { name: "ghost", kind: "namespaces" },
      code: 404,
    });
    const list = await k.fetch("/api/v1/namespaces/ghost/pods");
    expect(list.status).toBe(200);
    const body = await list.json();
    expect(body.kind).toBe("PodList");
    expect(body.items).toEqual([]);
    const r = await kubectl.run(["get", "deploy", "nope"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('Error from server (NotFound): deployments.apps "nope" not found\n');
  });

  test("imperative creates (protobuf request bodies) and a namespace deleted with its contents", async () => {
    await kubectl.ok(["create", "namespace", "team"]);
    await kubectl.ok(["create", "configmap", "cfg", "--from-literal=k=v", "-n", "team"]);
    await kubectl.ok(["create", "secret", "generic", "sec", "--from-literal=p=q", "-n", "team"]);
    await kubectl.ok(["create", "deployment", "imp", "--image=nginx:1.27", "--replicas=3", "--port=8080", "-n", "team"]);
    const d = await kubectl.json(["get", "deploy", "imp", "-n", "team"]);
    expect(d.spec.replicas).toBe(3);
    expect(d.spec.template.spec.containers[0]).toMatchObject({ name: "nginx", image: "nginx:1.27", ports: [{ containerPort: 8080, protocol: "TCP" }] });
    expect((await kubectl.json(["get", "cm", "cfg", "-n", "team"])).data).toEqual({ k: "v" });
    expect((await kubectl.json(["get", "secret", "sec", "-n", "team"])).data).toEqual({ p: Buffer.from("q").toString("base64") });
    expect(await kubectl.ok(["get", "sa", "-n", "team", "-o", "name"])).toBe("serviceaccount/default\n");
    expect(await kubectl.ok(["delete", "namespace", "team"])).toBe('namespace "team" deleted\n');
    const gone = await kubectl.run(["get", "ns", "team"]);
    expect(gone.stderr).toContain('namespaces "team" not found');
    expect(await kubectl.ok(["get", "deploy", "-n", "team", "-o", "name"])).toBe("");
  });
});
