/**
 * A program in a pod talks to the API server as its service account, the way a real pod does: the projected token,
 * CA and namespace files (LOGTAP_TEST_SERVICEACCOUNT_DIR) and KUBERNETES_SERVICE_HOST/PORT. RBAC applies to it:
 * listing pods is forbidden until a Role and RoleBinding created with kubectl allow it; automountServiceAccountToken
 * false leaves it without a token. A program beside a scripted container reads that container's log through the API,
 * as the forwarder sidecar does.
 */

import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { kubectlMissing } from "../kubectl.ts";
import { PROGRAM_IMAGE, useProgramCluster } from "./testing/program-cluster.ts";

const skip = kubectlMissing("the service-account tests of pods that run programs");
const c = useProgramCluster(skip);

const serving = (name: string, extra = "") => `
apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  serviceAccountName: lister
${extra}
  containers:
  - name: app
    image: ${PROGRAM_IMAGE}
    env: [{name: POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}]
    args: ["--listen", "$(POD_IP):8080", "--env", "LOGTAP_TEST_SERVICEACCOUNT_DIR"]
    readinessProbe: {httpGet: {path: /healthz, port: 8080}, periodSeconds: 1}
`;

async function podURL(name: string): Promise<string> {
  await c.admin.ok(["wait", "--for=condition=Ready", `pod/${name}`, "--timeout=20s"]);
  const pod = await c.admin.json(["get", "pod", name]);
  return `http://${pod.status.podIP}:8080`;
}

describe.skipIf(skip)("a program's service account", () => {
  test("is what it authenticates as: forbidden to list pods until a Role and RoleBinding allow it", async () => {
    await c.admin.ok(["create", "serviceaccount", "lister"]);
    await c.apply(serving("asker"));
    const url = await podURL("asker");
    const denied = await fetch(`${url}/pods`);
    expect(denied.status).toBe(403);
    expect(await denied.text()).toBe("list pods: 403 Forbidden");
    // The denial names the account, as the real API server's does.
    const refused = c.k.requests.filter((r) => r.resource === "pods" && r.verb === "list" && r.code === 403).at(-1);
    expect(refused?.user).toBe("system:serviceaccount:default:lister");

    await c.admin.ok(["create", "role", "pod-reader", "--verb=get,list,watch", "--resource=pods"]);
    await c.admin.ok(["create", "rolebinding", "lister-reads", "--role=pod-reader", "--serviceaccount=default:lister"]);
    const allowed = await fetch(`${url}/pods`);
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toBe("pods: asker");
  });

  test("has its token, the stand-in's CA and its namespace in the projected directory", async () => {
    const logs = await c.admin.ok(["logs", "asker"]);
    const dir = /LOGTAP_TEST_SERVICEACCOUNT_DIR=(.*)/.exec(logs)![1];
    expect(readFileSync(join(dir, "namespace"), "utf8")).toBe("default");
    expect(readFileSync(join(dir, "ca.crt"), "utf8")).toBe(c.k.ca.caCert);
    const token = readFileSync(join(dir, "token"), "utf8");
    // The token is the account's: kubectl with it is the service account.
    const whoami = await c.admin.as(c.k.kubeconfig({ token })).json(["auth", "whoami"]);
    expect(whoami.status.userInfo.username).toBe("system:serviceaccount:default:lister");
  });

  test("automountServiceAccountToken: false leaves the program without token files", async () => {
    await c.apply(serving("no-token", "  automountServiceAccountToken: false"));
    await podURL("no-token");
    expect(await c.admin.ok(["logs", "no-token"])).toContain("LOGTAP_TEST_SERVICEACCOUNT_DIR=<unset>\n");
  });

  test("beside a scripted container, reads its log through pods/log, as the forwarder sidecar does", async () => {
    await c.apply(`
apiVersion: v1
kind: Pod
metadata:
  name: tapped
  annotations:
    stand-in.logtap.dev/logs.web: '{"template": "web line {n}", "count": 3}'
spec:
  serviceAccountName: lister
  containers:
  - {name: web, image: "nginx:1.27"}
  - name: reader
    image: ${PROGRAM_IMAGE}
    env: [{name: POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}]
    args: ["--listen", "$(POD_IP):8080"]
    readinessProbe: {httpGet: {path: /healthz, port: 8080}, periodSeconds: 1}
`);
    const url = await podURL("tapped");
    // The Role of the first test allows pods, not pods/log: refused until it does.
    expect((await fetch(`${url}/sibling-log/web`)).status).toBe(403);
    await c.admin.ok(["create", "role", "log-reader", "--verb=get", "--resource=pods/log"]);
    await c.admin.ok(["create", "rolebinding", "lister-logs", "--role=log-reader", "--serviceaccount=default:lister"]);
    const res = await fetch(`${url}/sibling-log/web`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("web line 1\nweb line 2\nweb line 3\n");
  });
});
