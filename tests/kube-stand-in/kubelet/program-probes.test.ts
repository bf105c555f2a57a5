/**
 * Probes are really probed against the program: a Deployment becomes Ready (and its rollout completes) only once
 * the program's readiness endpoint answers; readiness can be lost and regained; a failing liveness probe restarts
 * the container; exec probes run a command in the container.
 */

import { describe, expect, test } from "bun:test";
import { waitFor } from "../../support/wait-for.ts";
import { kubectlMissing } from "../kubectl.ts";
import { PROGRAM_IMAGE, useProgramCluster } from "./testing/program-cluster.ts";

const skip = kubectlMissing("the probe tests of pods that run programs");
// Liveness may kill a program 1.5 s after it started (5 s by default), so the liveness test is quick.
const c = useProgramCluster(skip, { programStartGraceMs: 1500 });

const podIPEnv = `env: [{name: POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}]`;
const app = async (pod: string) => (await c.admin.json(["get", "pod", pod])).status?.containerStatuses?.[0];

describe.skipIf(skip)("probes against a program", () => {
  test("a Deployment is Ready only once /readyz answers, and rollout status waits for it", async () => {
    await c.apply(`
apiVersion: apps/v1
kind: Deployment
metadata: {name: receiver}
spec:
  replicas: 2
  selector: {matchLabels: {app: receiver}}
  template:
    metadata: {labels: {app: receiver}}
    spec:
      containers:
      - name: app
        image: ${PROGRAM_IMAGE}
        ${podIPEnv}
        args: ["--listen", "$(POD_IP):3100", "--ready-after-ms", "600000"]
        ports: [{name: http, containerPort: 3100}]
        readinessProbe: {httpGet: {path: /readyz, port: http}, periodSeconds: 5}
`);
    await waitFor(async () => (await c.admin.json(["get", "pods", "-l", "app=receiver"])).items.filter((p: any) => p.status?.containerStatuses?.[0]?.state?.running).length === 2, 15_000, "both pods running");
    // Running and probed, but /readyz says 503: nobody is Ready and the rollout is not done.
    await Bun.sleep(500);
    const pods = (await c.admin.json(["get", "pods", "-l", "app=receiver"])).items;
    expect(pods.map((p: any) => p.status.containerStatuses[0].ready)).toEqual([false, false]);
    expect((await c.admin.json(["get", "deploy", "receiver"])).status.readyReplicas).toBeUndefined();
    for (const p of pods) expect((await fetch(`http://${p.status.podIP}:3100/ready`, { method: "POST" })).status).toBe(200);
    await c.admin.ok(["rollout", "status", "deploy/receiver", "--timeout=20s"]);
    expect((await c.admin.json(["get", "deploy", "receiver"])).status.readyReplicas).toBe(2);
  });

  test("readiness comes and goes with the probe's answers (failureThreshold in a row)", async () => {
    await c.apply(`
apiVersion: v1
kind: Pod
metadata: {name: flappy}
spec:
  containers:
  - name: app
    image: ${PROGRAM_IMAGE}
    ${podIPEnv}
    args: ["--listen", "$(POD_IP):8080"]
    readinessProbe: {httpGet: {path: /readyz, port: 8080}, periodSeconds: 2, failureThreshold: 2}
`);
    await c.admin.ok(["wait", "--for=condition=Ready", "pod/flappy", "--timeout=20s"]);
    const ip = (await c.admin.json(["get", "pod", "flappy"])).status.podIP;
    await fetch(`http://${ip}:8080/unready`, { method: "POST" });
    await c.admin.ok(["wait", "--for=condition=Ready=false", "pod/flappy", "--timeout=20s"]);
    expect((await app("flappy")).restartCount).toBe(0);
    await fetch(`http://${ip}:8080/ready`, { method: "POST" });
    await c.admin.ok(["wait", "--for=condition=Ready", "pod/flappy", "--timeout=20s"]);
  });

  test("a failing liveness probe restarts the container (SIGTERM first: exit code 0 from its handler), not in its first seconds", async () => {
    await c.apply(`
apiVersion: v1
kind: Pod
metadata: {name: unhealthy}
spec:
  containers:
  - name: app
    image: ${PROGRAM_IMAGE}
    ${podIPEnv}
    args: ["--listen", "$(POD_IP):8080"]
    livenessProbe: {httpGet: {path: /no-such-page, port: 8080}, periodSeconds: 2, failureThreshold: 2}
`);
    const started = performance.now();
    await waitFor(async () => (await app("unhealthy"))?.restartCount >= 1, 20_000, "a liveness restart");
    expect(performance.now() - started).toBeGreaterThanOrEqual(1400);
    const s = await app("unhealthy");
    expect(s.lastState.terminated).toMatchObject({ exitCode: 0, reason: "Completed" });
    expect(await c.admin.ok(["logs", "unhealthy", "--previous"])).toContain("got SIGTERM\n");
  });

  test("exec and tcpSocket probes: a command run in the container, a port that opens", async () => {
    await c.apply(`
apiVersion: v1
kind: Pod
metadata: {name: exec-probed}
spec:
  containers:
  - name: app
    image: ${PROGRAM_IMAGE}
    ${podIPEnv}
    args: ["--listen", "$(POD_IP):8080"]
    startupProbe: {tcpSocket: {port: 8080}, periodSeconds: 1}
    readinessProbe: {exec: {command: ["sh", "-c", "test \\"$POD_IP\\" != ''"]}, periodSeconds: 1}
  - name: never
    image: ${PROGRAM_IMAGE}
    readinessProbe: {exec: {command: ["/pod-program", "--exit", "1"]}, periodSeconds: 1}
`);
    await waitFor(async () => (await c.admin.json(["get", "pod", "exec-probed"])).status?.containerStatuses?.find((x: any) => x.name === "app")?.ready === true, 15_000, "app ready");
    const never = (await c.admin.json(["get", "pod", "exec-probed"])).status.containerStatuses.find((x: any) => x.name === "never");
    expect(never).toMatchObject({ ready: false, started: true });
    expect(never.state.running).toBeDefined();
  });
});
