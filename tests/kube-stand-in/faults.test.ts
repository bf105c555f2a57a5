/**
 * Fault injection as a client sees it through kubectl: another writer getting there first (409 for a write with
 * the old resourceVersion, a write without one goes through), a forced error status, a slow server, a server that
 * refuses connections or never answers; the same controls over the HTTP control API; services/proxy forwarding to
 * a per-service target.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { OTHER_WRITER_ANNOTATION } from "./faults.ts";
import { Kubectl, kubectlMissing } from "./kubectl.ts";
import { startStandIn, type StandIn } from "./stand-in.ts";

const skip = kubectlMissing("the stand-in's fault injection tests");

let k: StandIn;
let kubectl: Kubectl;

beforeAll(async () => {
  if (skip) return;
  k = await startStandIn();
  kubectl = new Kubectl(k.kubeconfig());
  await kubectl.ok(["create", "deployment", "web", "--image=nginx:1.27"]);
});
afterAll(async () => {
  await k?.stop();
});

describe.skipIf(skip)("fault injection", () => {
  test("the next write meets another writer: 409 with the old resourceVersion, then the retry succeeds", async () => {
    const before = await kubectl.json(["get", "deploy", "web"]);
    k.faults.conflictNextWrites({ group: "apps", resource: "deployments", namespace: "default", name: "web" }, 1);
    before.spec.replicas = 3;
    const r = await kubectl.run(["replace", "-f", "-"], { stdin: JSON.stringify(before) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again');
    const after = await kubectl.json(["get", "deploy", "web"]);
    expect(after.metadata.annotations[OTHER_WRITER_ANNOTATION]).toBe("1");
    expect(Number(after.metadata.resourceVersion)).toBeGreaterThan(Number(before.metadata.resourceVersion));
    after.spec.replicas = 3;
    await kubectl.ok(["replace", "-f", "-"], { stdin: JSON.stringify(after) });
    expect((await kubectl.json(["get", "deploy", "web"])).spec.replicas).toBe(3);
    // A patch without a resourceVersion precondition is not refused by a concurrent write, as on a real server.
    k.faults.conflictNextWrites({ group: "apps", resource: "deployments", namespace: "default", name: "web" }, 1);
    await kubectl.ok(["patch", "deploy", "web", "--type=merge", "-p", '{"spec":{"replicas":4}}']);
    const patched = await kubectl.json(["get", "deploy", "web"]);
    expect(patched.spec.replicas).toBe(4);
    expect(patched.metadata.annotations[OTHER_WRITER_ANNOTATION]).toBe("2");
  });

  test("a forced error for the next matching request, then normal service", async () => {
    k.faults.failNext({ verb: "get", group: "apps", resource: "deployments", name: "web", code: 500, message: "etcdserver: request timed out" });
    const r = await kubectl.run(["get", "deploy", "web"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Error from server (InternalError): etcdserver: request timed out");
    expect((await kubectl.run(["get", "deploy", "web"])).code).toBe(0);
    k.faults.failNext({ verb: "patch", resource: "deployments", code: 429, message: "too many requests, please try again later" });
    const res = await k.fetch("/apis/apps/v1/namespaces/default/deployments/web", { method: "PATCH", headers: { "content-type": "application/merge-patch+json" }, body: "{}" });
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("1");
    expect((await res.json()).reason).toBe("TooManyRequests");
  });

  test("a slow server delays every response", async () => {
    k.faults.delayMs = 300;
    const t0 = performance.now();
    const res = await k.fetch("/api/v1/namespaces/default");
    expect(res.status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
    k.faults.delayMs = 0;
  });

  test("unreachable: connections refused, or accepted and never answered; then back on the same port", async () => {
    await k.faults.setUnreachable("refuse");
    const refused = await kubectl.run(["get", "deploy", "web"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`The connection to the server ${new URL(k.url).host} was refused - did you specify the right host or port?`);
    await k.faults.setReachable();
    expect((await kubectl.run(["get", "deploy", "web"])).code).toBe(0);
    await k.faults.setUnreachable("hang");
    const hung = await kubectl.run(["get", "deploy", "web", "--request-timeout=1s"]);
    expect(hung.code).toBe(1);
    expect(hung.stderr).toMatch(/Client\.Timeout|context deadline exceeded|timeout/i);
    await k.faults.setReachable();
    expect((await kubectl.run(["get", "deploy", "web"])).code).toBe(0);
  });

  test("the HTTP control API: rules, forced errors, identities, the request log", async () => {
    const post = (path: string, body: unknown, method = "POST") => k.fetch(`/stand-in/${path}`, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    expect((await post("rbac", { subject: { user: "dave" }, rules: [{ verbs: ["get"], apiGroups: ["apps"], resources: ["deployments"] }] }, "PUT")).status).toBe(200);
    const kubeconfigText = await (await post("kubeconfig", { user: "dave" })).text();
    const path = `${k.ca.dir}/dave.yaml`;
    await Bun.write(path, kubeconfigText);
    const dave = kubectl.as(path);
    expect(await dave.ok(["get", "deploy", "web", "-o", "name"])).toBe("deployment.apps/web\n");
    expect((await post("faults/fail", { verb: "get", resource: "deployments", code: 503, message: "maintenance" })).status).toBe(200);
    expect((await dave.run(["get", "deploy", "web"])).stderr).toContain("(ServiceUnavailable): maintenance");
    const log = await (await k.fetch("/stand-in/requests")).json();
    const daves = log.requests.filter((r: any) => r.user === "dave" && r.resource === "deployments");
    expect(daves.map((r: any) => r.code)).toEqual([200, 503]);
    expect((await k.fetch("/stand-in/faults", { method: "DELETE" })).status).toBe(200);
  });

  test("services/proxy forwards to the target set for the service", async () => {
    const backend = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: (req) => new Response(`metrics at ${new URL(req.url).pathname}${new URL(req.url).search}\n`) });
    try {
      await kubectl.ok(["create", "service", "clusterip", "recv", "--tcp=3100:3100"]);
      const none = await kubectl.run(["get", "--raw", "/api/v1/namespaces/default/services/recv:3100/proxy/metrics"]);
      expect(none.stderr).toContain('no endpoints available for service "recv"');
      k.setServiceTarget("default", "recv", `http://127.0.0.1:${backend.port}`);
      expect(await kubectl.ok(["get", "--raw", "/api/v1/namespaces/default/services/recv:3100/proxy/metrics?x=1"])).toBe("metrics at /metrics?x=1\n");
    } finally {
      backend.stop(true);
    }
  });
});
