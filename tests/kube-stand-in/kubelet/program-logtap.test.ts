/**
 * logtap itself as the program of its images, the way the end-to-end tests run it: the receiver pod `deploy`
 * creates (upstream §22.6: `recv --headless --listen :3100 --dir /data …`, probes on /healthz and /readyz, an
 * emptyDir at /data) becomes Ready only when the receiver answers, is reached through its Service by services/proxy
 * and by name from another pod, and keeps its capture in the pod's directory, not in /data of this machine; a
 * logtap command run in a pod finds its in-cluster configuration (service-account files, KUBERNETES_SERVICE_*).
 */

import { beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { primaryTarget } from "../../support/cli.ts";
import { waitFor } from "../../support/wait-for.ts";
import { kubectlMissing } from "../kubectl.ts";
import { podNetLibrary } from "./pod-network.ts";
import { PROGRAM_IMAGE, useProgramCluster } from "./testing/program-cluster.ts";

const skip = kubectlMissing("the tests of logtap run as a pod's program");
const logtap = primaryTarget();
const c = useProgramCluster(skip);
const hostData = existsSync("/data");
beforeAll(() => {
  if (!skip) c.k.mapImage("ghcr.io/ppiankov/logtap:*", { command: logtap.cmd });
});

const receiver = `
apiVersion: v1
kind: Pod
metadata:
  name: logtap-receiver
  labels: {app.kubernetes.io/managed-by: logtap, app.kubernetes.io/name: logtap-receiver}
spec:
  restartPolicy: Never
  containers:
  - name: receiver
    image: ghcr.io/ppiankov/logtap:latest
    args: ["recv", "--headless", "--listen", ":3100", "--dir", "/data", "--max-disk", "10GB"]
    ports: [{containerPort: 3100, protocol: TCP}]
    livenessProbe: {httpGet: {path: /healthz, port: 3100}, initialDelaySeconds: 5, periodSeconds: 10}
    readinessProbe: {httpGet: {path: /readyz, port: 3100}, initialDelaySeconds: 2, periodSeconds: 5}
    volumeMounts: [{name: data, mountPath: /data}]
  volumes: [{name: data, emptyDir: {}}]
---
apiVersion: v1
kind: Service
metadata:
  name: logtap-receiver
  labels: {app.kubernetes.io/managed-by: logtap, app.kubernetes.io/name: logtap-receiver}
spec:
  selector: {app.kubernetes.io/managed-by: logtap, app.kubernetes.io/name: logtap-receiver}
  ports: [{port: 3100, targetPort: 3100, protocol: TCP}]
`;

describe.skipIf(skip)(`logtap (${logtap.name}) as a pod's program`, () => {
  test("the receiver pod deploy makes is Ready once /readyz answers, and its Service reaches it through services/proxy", async () => {
    await c.apply(receiver);
    await c.admin.ok(["wait", "--for=condition=Ready", "pod/logtap-receiver", "--timeout=30s"]);
    const metrics = await c.admin.run(["get", "--raw", "/api/v1/namespaces/default/services/logtap-receiver:3100/proxy/metrics"]);
    expect(metrics.code).toBe(0);
    expect(metrics.stdout).toContain("logtap_");
    // The capture directory is the pod's emptyDir, not /data of the machine running the test.
    if (!hostData) expect(existsSync("/data")).toBe(false);
    const dir = c.kubelet.podDirectory("default", "logtap-receiver");
    expect(dir).toBeDefined();
    expect(existsSync(join(dir!, "volumes", "data"))).toBe(true);
  });

  test.skipIf(!podNetLibrary())("another pod reaches it as logtap-receiver.default.svc.cluster.local:3100", async () => {
    await c.apply(`
apiVersion: v1
kind: Pod
metadata: {name: pusher}
spec:
  restartPolicy: Never
  containers:
  - {name: app, image: ${PROGRAM_IMAGE}, args: ["--fetch", "http://logtap-receiver.default.svc.cluster.local:3100/healthz", "--exit", "0"]}
`);
    await waitFor(async () => (await c.admin.json(["get", "pod", "pusher"])).status?.phase === "Succeeded", 20_000, "pusher to finish");
    expect(await c.admin.ok(["logs", "pusher"])).toMatch(/^fetch http:\/\/logtap-receiver\.default\.svc\.cluster\.local:3100\/healthz: 200 /);
  });

  test("a logtap command in a pod uses the in-cluster configuration: its service account, refused, then allowed", async () => {
    const pod = (name: string) => `
apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  restartPolicy: Never
  containers:
  - {name: app, image: ghcr.io/ppiankov/logtap:latest, args: ["status", "--json"]}
`;
    const finished = (name: string) => waitFor(async () => ["Succeeded", "Failed"].includes((await c.admin.json(["get", "pod", name])).status?.phase), 30_000, `${name} to finish`);
    await c.apply(pod("status-denied"));
    await finished("status-denied");
    const denied = JSON.parse(await c.admin.ok(["logs", "status-denied"]));
    expect(denied).toMatchObject({ error: "permission" });
    expect(denied.message).toContain('User "system:serviceaccount:default:default" cannot list resource "deployments"');
    await c.admin.ok(["create", "rolebinding", "default-view", "--clusterrole=view", "--serviceaccount=default:default"]);
    await c.apply(pod("status-allowed"));
    await finished("status-allowed");
    expect((await c.admin.json(["get", "pod", "status-allowed"])).status.phase).toBe("Succeeded");
    expect((await c.admin.ok(["logs", "status-allowed"])).trim()).toBe("null");
  });
});
