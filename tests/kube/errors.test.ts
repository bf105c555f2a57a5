/**
 * Every failure is one line with the README's exit code: unreachable and timeout 5 (recoverable), 401/403 4,
 * a missing object or namespace 3, the server's own Status message kept; plus how requests are named in messages.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { connectCluster } from "../../src/kube/connect.ts";
import { describeRequest, requestAttributes } from "../../src/kube/errors/describe-request.ts";
import { isConflict, isForbidden, isNotFound } from "../../src/kube/errors/kube-error.ts";
import { formatError } from "../../src/common/errors.ts";
import { pki } from "./support/pki.ts";
import { startFakeApiServer, status, type FakeApiServer } from "./support/fake-apiserver.ts";
import { kubeDir, singleContext, writeKubeconfig } from "./support/kubeconfig.ts";

let server: FakeApiServer;
const dir = kubeDir();

beforeAll(async () => {
  server = await startFakeApiServer({ auth: { tokens: ["t"] } });
  server.route("GET", "/apis/apps/v1/namespaces/default/deployments/web", (_q, res) => status(res, 404, "NotFound", 'deployments.apps "web" not found', { name: "web", group: "apps", kind: "deployments" }));
  server.route("GET", "/api/v1/namespaces/nowhere/pods/x", (_q, res) => status(res, 404, "NotFound", 'namespaces "nowhere" not found', { name: "nowhere", kind: "namespaces" }));
  server.route("PATCH", "/apis/apps/v1/namespaces/default/deployments/web", (_q, res) =>
    status(res, 403, "Forbidden", 'deployments.apps "web" is forbidden: User "alice" cannot patch resource "deployments" in API group "apps" in the namespace "default"', { name: "web", group: "apps", kind: "deployments" }),
  );
  server.route("PUT", "/apis/apps/v1/namespaces/default/deployments/web", (_q, res) =>
    status(res, 409, "Conflict", 'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again'),
  );
  server.route("GET", "/api/v1/nodes", (_q, res) => status(res, 503, "ServiceUnavailable", "the server is currently unable to handle the request"));
  server.route("GET", "/api/v1/namespaces", (_q, res) => {
    res.writeHead(502, { "content-type": "text/html" });
    res.end("<html><body>Bad gateway</body></html>\n");
  });
  server.route("GET", "/api/v1/namespaces/default/configmaps", () => new Promise(() => {})); // never answers
  server.route("GET", "/api/v1/namespaces/slow/configmaps", async (_q, res) => {
    await Bun.sleep(400);
    res.writeHead(200, { "content-type": "application/json" });
    res.end('{"kind":"ConfigMapList","items":[]}');
  });
});
afterAll(() => server.close());

function connect(url = server.url, timeoutMs = 5000, signal?: AbortSignal) {
  const file = writeKubeconfig(dir, `kc-${Math.random().toString(36).slice(2)}`, singleContext(url, { "certificate-authority": pki().caFile }, { token: "t" }));
  return connectCluster({ kubeconfig: file, timeoutMs, signal, env: {} });
}

const fail = (p: Promise<unknown>) => p.then(() => { throw new Error("expected a failure"); }, (e) => e);

describe("no answer", () => {
  test("connection refused: exit 5, recoverable, one line", async () => {
    const s = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    const port = s.port;
    s.stop(true);
    const err = await fail(connect(`https://127.0.0.1:${port}`).serverVersion());
    expect(formatError(err, false)).toEqual({ code: 5, text: `error: cannot reach the Kubernetes API server at https://127.0.0.1:${port}: connection refused` });
    expect(JSON.parse(formatError(err, true).text)).toEqual({ exit_code: 5, error: "network", message: `cannot reach the Kubernetes API server at https://127.0.0.1:${port}: connection refused`, recoverable: true });
  });

  test("a host that does not resolve: exit 5, no such host", async () => {
    const err = await fail(connect("https://logtap-test.invalid:6443").serverVersion());
    expect(formatError(err, false).code).toBe(5);
    expect(err.message).toStartWith("cannot reach the Kubernetes API server at https://logtap-test.invalid:6443: no such host");
  });

  test("no answer within the timeout: exit 5, naming the request and the limit", async () => {
    const t0 = Date.now();
    const err = await fail(connect(server.url, 300).request({ path: "/api/v1/namespaces/default/configmaps" }));
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(formatError(err, false)).toEqual({ code: 5, text: `error: list configmaps in namespace "default": timeout: the Kubernetes API server at ${server.url} did not answer within 300ms` });
  });

  test("timeout 0 means no limit, as kubectl's --request-timeout=0", async () => {
    expect(await connect(server.url, 0).request({ path: "/api/v1/namespaces/slow/configmaps" })).toEqual({ kind: "ConfigMapList", items: [] });
    expect((await fail(connect(server.url, 100).request({ path: "/api/v1/namespaces/slow/configmaps" }))).kind).toBe("timeout");
  });

  test("a caller's abort passes through as it is; a caller's deadline is a timeout", async () => {
    const ctl = new AbortController();
    const pending = fail(connect().request({ path: "/api/v1/namespaces/default/configmaps", signal: ctl.signal }));
    ctl.abort(new Error("interrupted"));
    expect((await pending).message).toBe("interrupted");
    const err = await fail(connect(server.url, 10_000, AbortSignal.timeout(200)).request({ path: "/api/v1/namespaces/default/configmaps" }));
    expect(formatError(err, false)).toEqual({ code: 5, text: `error: list configmaps in namespace "default": timeout: the Kubernetes API server at ${server.url} did not answer before the deadline` });
  });
});

describe("error answers keep the server's Status message", () => {
  test("403: exit 4, the message names verb, resource, user and namespace", async () => {
    const err = await fail(connect().patch("/apis/apps/v1/namespaces/default/deployments/web", "strategic", { spec: {} }));
    expect(isForbidden(err)).toBe(true);
    expect(formatError(err, false)).toEqual({
      code: 4,
      text: 'error: deployments.apps "web" is forbidden: User "alice" cannot patch resource "deployments" in API group "apps" in the namespace "default"',
    });
  });

  test("404 for a workload and for a namespace: exit 3", async () => {
    const err = await fail(connect().request({ path: "/apis/apps/v1/namespaces/default/deployments/web" }));
    expect(isNotFound(err)).toBe(true);
    expect(formatError(err, false)).toEqual({ code: 3, text: 'error: deployments.apps "web" not found' });
    expect(formatError(await fail(connect().request({ path: "/api/v1/namespaces/nowhere/pods/x" })), false)).toEqual({ code: 3, text: 'error: namespaces "nowhere" not found' });
  });

  test("409 is a conflict (exit 1); 503 and 502 are worth retrying (exit 5); a non-Status answer is described", async () => {
    const conflict = await fail(connect().request({ method: "PUT", path: "/apis/apps/v1/namespaces/default/deployments/web", body: {} }));
    expect(isConflict(conflict)).toBe(true);
    expect(formatError(conflict, false).code).toBe(1);
    expect(formatError(await fail(connect().request({ path: "/api/v1/nodes" })), false)).toEqual({ code: 5, text: "error: the server is currently unable to handle the request" });
    expect(formatError(await fail(connect().request({ path: "/api/v1/namespaces" })), false)).toEqual({
      code: 5,
      text: `error: list namespaces: 502 Bad Gateway from the Kubernetes API server at ${server.url}: <html><body>Bad gateway</body></html>`,
    });
  });
});

describe("requests named as RBAC names them", () => {
  const d = (method: string, path: string) => describeRequest(requestAttributes(method, new URL(`https://h${path}`)));
  test.each([
    ["GET", "/api/v1/namespaces/default/pods", 'list pods in namespace "default"'],
    ["GET", "/api/v1/namespaces/default/pods?watch=true", 'watch pods in namespace "default"'],
    ["GET", "/api/v1/namespaces/default/pods/web-1/log", 'get pods/log "web-1" in namespace "default"'],
    ["PATCH", "/apis/apps/v1/namespaces/shop/deployments/web", 'patch deployments.apps "web" in namespace "shop"'],
    ["PUT", "/apis/apps/v1/namespaces/shop/statefulsets/db", 'update statefulsets.apps "db" in namespace "shop"'],
    ["POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", "create selfsubjectaccessreviews.authorization.k8s.io"],
    ["GET", "/api/v1/namespaces/prod", 'get namespaces "prod"'],
    ["DELETE", "/api/v1/namespaces/default/configmaps", 'deletecollection configmaps in namespace "default"'],
    ["GET", "/api/v1/nodes", "list nodes"],
    ["GET", "/version", "GET /version"],
  ])("%s %s → %s", (method, path, text) => {
    expect(d(method, path)).toBe(text);
  });
});
