/**
 * Authentication and authorization through the real kubectl and raw mutual-TLS requests: 401 without valid
 * credentials, identities from client certificates and tokens, test-set RBAC rules (changed mid-test), stored
 * Role/RoleBinding objects for a service account with a TokenRequest token, the exact 403 texts, and
 * `kubectl auth can-i` (exit 1 on "no").
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { CertificateAuthority } from "./certs.ts";
import { Kubectl, kubectlMissing } from "./kubectl.ts";
import { startStandIn, type StandIn } from "./stand-in.ts";

const skip = kubectlMissing("the stand-in's authentication and RBAC tests");

let k: StandIn;
let admin: Kubectl;

beforeAll(async () => {
  if (skip) return;
  k = await startStandIn();
  admin = new Kubectl(k.kubeconfig());
  await admin.ok(["create", "deployment", "web", "--image=nginx:1.27"]);
});
afterAll(async () => {
  await k?.stop();
});

const UNAUTHORIZED = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "Unauthorized", reason: "Unauthorized", code: 401 };

describe.skipIf(skip)("authentication", () => {
  test("no credentials, an unknown token, or a certificate from another CA: 401 Unauthorized", async () => {
    for (const res of [
      await k.fetch("/api/v1/namespaces", { anonymous: true }),
      await k.fetch("/api/v1/namespaces", { token: "not-a-token" }),
    ]) {
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual(UNAUTHORIZED);
    }
    const other = CertificateAuthority.create().issueClient("admin", ["system:masters"]);
    const res = await fetch(`${k.url}/api/v1/namespaces`, { tls: { ca: k.ca.caCert, cert: other.cert, key: other.key } } as RequestInit);
    expect(res.status).toBe(401);
    // An authenticated user without rules is refused (403); once its token is gone, it is not authenticated (401).
    const mallory = admin.as(k.kubeconfig({ user: "mallory", token: "abc" }));
    const forbidden = await mallory.run(["get", "pods"]);
    expect(forbidden.code).toBe(1);
    expect(forbidden.stderr).toBe('Error from server (Forbidden): pods is forbidden: User "mallory" cannot list resource "pods" in API group "" in the namespace "default"\n');
    k.authn.removeToken("abc");
    const unauthorized = await mallory.run(["get", "pods"]);
    expect(unauthorized.code).toBe(1);
    expect(unauthorized.stderr).toContain("error: You must be logged in to the server (Unauthorized)");
  });

  test("a token identity and kubectl auth whoami", async () => {
    const bob = admin.as(k.kubeconfig({ user: "bob", groups: ["dev"], token: "bob-token" }));
    expect(await bob.ok(["auth", "whoami", "-o", "jsonpath={.status.userInfo.username} {.status.userInfo.groups}"])).toBe('bob ["dev","system:authenticated"]');
    k.authn.removeToken("bob-token");
    const r = await bob.run(["get", "pods"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error: You must be logged in to the server (Unauthorized)");
  });
});

describe.skipIf(skip)("authorization", () => {
  test("the exact 403 texts: a named object, a list, the cluster scope, a subresource", async () => {
    k.setRules("alice", [{ verbs: ["get", "list", "watch"], apiGroups: ["apps"], resources: ["deployments"], namespaces: ["default"] }]);
    const alice = admin.as(k.kubeconfig({ user: "alice", groups: ["dev"] }));
    expect(await alice.ok(["get", "deploy", "web", "-o", "name"])).toBe("deployment.apps/web\n");
    const patch = await alice.run(["patch", "deploy", "web", "-p", '{"spec":{"replicas":2}}']);
    expect(patch.code).toBe(1);
    expect(patch.stderr).toBe('Error from server (Forbidden): deployments.apps "web" is forbidden: User "alice" cannot patch resource "deployments" in API group "apps" in the namespace "default"\n');
    const res = await k.fetch("/apis/apps/v1/namespaces/default/deployments/web", { user: "alice", groups: ["dev"], method: "PATCH", headers: { "content-type": "application/merge-patch+json" }, body: "{}" });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: 'deployments.apps "web" is forbidden: User "alice" cannot patch resource "deployments" in API group "apps" in the namespace "default"',
      reason: "Forbidden",
      details: { name: "web", group: "apps", kind: "deployments" },
      code: 403,
    });
    const pods = await alice.run(["get", "pods", "-n", "kube-system"]);
    expect(pods.stderr).toBe('Error from server (Forbidden): pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "kube-system"\n');
    const nodes = await alice.run(["get", "nodes"]);
    expect(nodes.stderr).toBe('Error from server (Forbidden): nodes is forbidden: User "alice" cannot list resource "nodes" in API group "" at the cluster scope\n');
    const logs = await k.fetch("/api/v1/namespaces/default/pods/p/log", { user: "alice", groups: ["dev"] });
    expect((await logs.json()).message).toBe('pods "p" is forbidden: User "alice" cannot get resource "pods/log" in API group "" in the namespace "default"');
  });

  test("kubectl auth can-i says yes (exit 0) and no (exit 1), and follows rules changed mid-test", async () => {
    k.setRules("carol", [{ verbs: ["get"], apiGroups: ["apps"], resources: ["deployments"], resourceNames: ["web"] }]);
    const carol = admin.as(k.kubeconfig({ user: "carol" }));
    expect(await carol.run(["auth", "can-i", "get", "deployments/web"])).toMatchObject({ code: 0, stdout: "yes\n" });
    expect(await carol.run(["auth", "can-i", "get", "deployments/other"])).toMatchObject({ code: 1, stdout: "no\n" });
    expect(await carol.run(["auth", "can-i", "patch", "deployments/web"])).toMatchObject({ code: 1, stdout: "no\n" });
    k.rbac.addRules("carol", [{ verbs: ["patch"], apiGroups: ["apps"], resources: ["deployments"], namespaces: ["default"] }]);
    expect(await carol.run(["auth", "can-i", "patch", "deployments/web"])).toMatchObject({ code: 0, stdout: "yes\n" });
    expect(await carol.run(["auth", "can-i", "patch", "deployments/web", "-n", "kube-system"])).toMatchObject({ code: 1, stdout: "no\n" });
    k.rbac.clearRules("carol");
    expect(await carol.run(["auth", "can-i", "get", "deployments/web"])).toMatchObject({ code: 1, stdout: "no\n" });
    expect(await admin.run(["auth", "can-i", "delete", "nodes"])).toMatchObject({ code: 0, stdout: "yes\n" });
  });

  test("stored Role and RoleBinding for a service account, used with a TokenRequest token", async () => {
    await admin.ok(["create", "serviceaccount", "forwarder"]);
    await admin.ok(["create", "role", "log-reader", "--verb=get,list,watch", "--resource=pods,pods/log"]);
    await admin.ok(["create", "rolebinding", "forwarder-logs", "--role=log-reader", "--serviceaccount=default:forwarder"]);
    const token = (await admin.ok(["create", "token", "forwarder"])).trim();
    expect(token.length).toBeGreaterThan(20);
    const sa = admin.as(k.kubeconfig({ token }));
    expect(await sa.ok(["auth", "whoami", "-o", "jsonpath={.status.userInfo.username}"])).toBe("system:serviceaccount:default:forwarder");
    expect(await sa.run(["auth", "can-i", "get", "pods", "--subresource=log"])).toMatchObject({ code: 0, stdout: "yes\n" });
    expect(await sa.run(["auth", "can-i", "delete", "pods"])).toMatchObject({ code: 1, stdout: "no\n" });
    const review = await k.fetch("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", {
      token,
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ apiVersion: "authorization.k8s.io/v1", kind: "SelfSubjectAccessReview", spec: { resourceAttributes: { namespace: "default", verb: "list", resource: "pods" } } }),
    });
    expect(review.status).toBe(201);
    expect((await review.json()).status).toEqual({
      allowed: true,
      reason: 'RBAC: allowed by RoleBinding "forwarder-logs/default" of Role "log-reader" to ServiceAccount "forwarder/default"',
    });
    // A binding to a role that does not exist: the denial says so, as the RBAC authorizer does.
    await admin.ok(["create", "rolebinding", "dangling", "--role=missing", "--serviceaccount=default:forwarder"]);
    const del = await sa.run(["delete", "deploy", "web", "--dry-run=server"]);
    expect(del.stderr).toContain('is forbidden: User "system:serviceaccount:default:forwarder" cannot delete resource "deployments" in API group "apps" in the namespace "default": RBAC: role.rbac.authorization.k8s.io "missing" not found');
    // Deleting the account invalidates its tokens.
    await admin.ok(["delete", "serviceaccount", "forwarder"]);
    expect((await sa.run(["get", "pods"])).stderr).toContain("Unauthorized");
  });

  test("the control API is for system:masters only", async () => {
    expect((await k.fetch("/stand-in/state", { user: "alice" })).status).toBe(403);
    expect((await k.fetch("/stand-in/state", { anonymous: true })).status).toBe(401);
    const state = await (await k.fetch("/stand-in/state")).json();
    expect(state.version).toBe("v1.31.0");
  });
});
