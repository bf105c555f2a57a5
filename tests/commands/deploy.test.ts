/**
 * `logtap deploy` against the stand-in over mutual TLS, checked through kubectl: the objects of §22.6 (namespace
 * created and labelled, the token Secret, Service and Pod as specified), the messages, a second deploy refused
 * without touching the first, --dry-run writing nothing, --cleanup (and its dry run), a partial failure cleaned up,
 * a receiver that cannot start, and `logtap check` seeing the receiver as a leftover until it is cleaned up.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { DEFAULT_RECEIVER_IMAGE } from "../../src/kube/images.ts";
import { primaryTarget, runCli } from "../support/cli.ts";
import { waitFor } from "../support/wait-for.ts";
import { streamText } from "../support/stream-text.ts";
import { createNamespace, kubectlMissing, startTestCluster, type TestCluster } from "./check-fixtures.ts";

const skip = kubectlMissing("logtap deploy against the stand-in cluster");
const LABELS = { "app.kubernetes.io/managed-by": "logtap", "app.kubernetes.io/name": "logtap-receiver" };

let c: TestCluster;
beforeAll(async () => {
  if (skip) return;
  c = await startTestCluster();
});
afterAll(async () => {
  await c?.stop();
});

const deploy = (args: string[], kubeconfig = c.kubeconfig) => runCli(["deploy", "--kubeconfig", kubeconfig, ...args]);

describe.skipIf(skip)("logtap deploy", () => {
  test("creates the namespace, Secret, Service and Pod of §22.6 and waits for Ready", async () => {
    const r = await deploy(["-n", "recv"]);
    expect(r.stderr).toBe(
      [
        'Deploying receiver in namespace "recv"...',
        "Waiting for receiver to be ready...",
        "Receiver deployed successfully.",
        "Target: logtap-receiver.recv.svc.cluster.local:3100",
        "",
        "Usage:",
        "  logtap tap --target logtap-receiver.recv.svc.cluster.local:3100 --deployment <name> -n recv",
        "  kubectl port-forward svc/logtap-receiver -n recv 3100:3100",
        "  logtap pull --dir ./capture -n recv --follow             bring the capture home while it is written",
        "  logtap pull --dir ./capture -n recv --finish --cleanup   at the end: the rest, then remove the receiver",
        "  logtap deploy --cleanup -n recv                           remove the receiver (its capture with it)",
        "",
      ].join("\n"),
    );
    expect(r.code).toBe(0);

    const ns = await c.kubectl.json(["get", "namespace", "recv"]);
    expect(ns.metadata.labels).toMatchObject(LABELS);
    const secret = await c.kubectl.json(["get", "secret", "logtap-receiver", "-n", "recv"]);
    expect(secret.metadata.labels).toEqual(LABELS);
    expect(secret.type).toBe("Opaque");
    expect(Buffer.from(secret.data["capture-token"], "base64").toString()).toMatch(/^[0-9a-f]{64}$/);

    const svc = await c.kubectl.json(["get", "service", "logtap-receiver", "-n", "recv"]);
    expect(svc.metadata.labels).toEqual(LABELS);
    expect(svc.spec.selector).toEqual(LABELS);
    expect(svc.spec.type).toBe("ClusterIP");
    expect(svc.spec.ports).toEqual([{ port: 3100, targetPort: 3100, protocol: "TCP" }]);

    const pod = await c.kubectl.json(["get", "pod", "logtap-receiver", "-n", "recv"]);
    expect(pod.metadata.labels).toEqual(LABELS);
    expect(pod.spec.restartPolicy).toBe("Never");
    expect(pod.spec.activeDeadlineSeconds).toBeUndefined();
    expect(pod.spec.volumes).toEqual([{ name: "data", emptyDir: {} }]);
    expect(pod.spec.containers).toHaveLength(1);
    const container = pod.spec.containers[0];
    expect(container).toMatchObject({
      name: "receiver",
      image: DEFAULT_RECEIVER_IMAGE,
      args: ["recv", "--headless", "--listen", ":3100", "--dir", "/data", "--max-disk", "10GB", "--serve-capture"],
      env: [{ name: "LOGTAP_CAPTURE_TOKEN", valueFrom: { secretKeyRef: { name: "logtap-receiver", key: "capture-token" } } }],
      ports: [{ containerPort: 3100, protocol: "TCP" }],
      volumeMounts: [{ name: "data", mountPath: "/data" }],
    });
    expect(container.livenessProbe).toMatchObject({ httpGet: { path: "/healthz", port: 3100 }, initialDelaySeconds: 5, periodSeconds: 10 });
    expect(container.readinessProbe).toMatchObject({ httpGet: { path: "/readyz", port: 3100 }, initialDelaySeconds: 2, periodSeconds: 5 });
    expect(pod.status.conditions.find((x: any) => x.type === "Ready").status).toBe("True");

    // check reports it as a leftover receiver until it is removed.
    const check = await runCli(["check", "--kubeconfig", c.kubeconfig, "-n", "recv", "--json"]);
    expect(JSON.parse(check.stdout).orphans.receivers).toEqual([{ pod_name: "logtap-receiver", namespace: "recv", age: expect.any(Number) }]);
  });

  test("a second deploy is refused and leaves the first one as it was", async () => {
    const before = await c.kubectl.json(["get", "secret", "logtap-receiver", "-n", "recv"]);
    const r = await deploy(["-n", "recv", "--port", "9000"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('Deploying receiver in namespace "recv"...\nerror: deploy receiver: secrets "logtap-receiver" already exists\n');
    const after = await c.kubectl.json(["get", "secret", "logtap-receiver", "-n", "recv"]);
    expect(after.data).toEqual(before.data);
    expect((await c.kubectl.json(["get", "service", "logtap-receiver", "-n", "recv"])).spec.ports[0].port).toBe(3100);
  });

  test("--cleanup deletes Pod, Service and Secret, never the namespace; check then finds no receiver", async () => {
    const dry = await deploy(["-n", "recv", "--cleanup", "--dry-run"]);
    expect(dry).toEqual({ code: 0, stdout: "", stderr: '[dry-run] Would delete in namespace "recv":\n  Pod:     logtap-receiver\n  Service: logtap-receiver\n  Secret:  logtap-receiver\n' });
    expect((await c.kubectl.run(["get", "pod", "logtap-receiver", "-n", "recv"])).code).toBe(0);

    const r = await deploy(["-n", "recv", "--cleanup"]);
    expect(r).toEqual({ code: 0, stdout: "", stderr: 'Cleaning up receiver in namespace "recv"...\nReceiver cleaned up.\n' });
    for (const kind of ["pod", "service", "secret"]) {
      const got = await c.kubectl.run(["get", kind, "logtap-receiver", "-n", "recv"]);
      expect(got.stderr).toContain("NotFound");
    }
    expect((await c.kubectl.json(["get", "namespace", "recv"])).status.phase).toBe("Active");
    const check = await runCli(["check", "--kubeconfig", c.kubeconfig, "-n", "recv", "--json"]);
    expect(JSON.parse(check.stdout).orphans.receivers).toBeUndefined();
    // Nothing left to delete is no error.
    expect((await deploy(["-n", "recv", "--cleanup"])).code).toBe(0);
  });

  test("--dry-run says what it would create and writes nothing", async () => {
    const since = c.standIn.lastRequest;
    const r = await deploy(["-n", "dry", "--dry-run", "--port", "9000", "--max-disk", "2GB", "--image", "registry.example/logtap:dev"]);
    expect(r).toEqual({
      code: 0,
      stdout: "",
      stderr: [
        '[dry-run] Would create in namespace "dry":',
        "  Pod:     logtap-receiver",
        "  Service: logtap-receiver",
        "  Secret:  logtap-receiver (the token that guards the capture)",
        "  Image:   registry.example/logtap:dev",
        "  Port:    9000",
        "  MaxDisk: 2GB",
        "",
        "Target: logtap-receiver.dry.svc.cluster.local:9000",
        "",
      ].join("\n"),
    });
    expect(c.standIn.requestsSince(since)).toEqual([]);
  });

  test("bad flags are usage errors before any cluster call", async () => {
    for (const [args, message] of [
      [["--port", "0"], 'invalid --port: "0": expected 1-65535'],
      [["--port", "x"], 'invalid --port: "x": expected 1-65535'],
      [["--max-disk", "lots"], "invalid --max-disk"],
    ] as const) {
      const r = await deploy([...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(message);
    }
  });

  test("a partial failure deletes what the run created, the namespace included", async () => {
    const user = c.standIn.kubeconfig({ user: "carol" });
    // Everything but creating pods.
    c.standIn.setRules("carol", [
      { verbs: ["get", "create", "delete"], apiGroups: [""], resources: ["namespaces", "secrets", "services"] },
      { verbs: ["get", "delete"], apiGroups: [""], resources: ["pods"] },
    ]);
    const r = await deploy(["-n", "partial"], user);
    expect(r.code).toBe(4);
    expect(r.stderr).toBe(
      'Deploying receiver in namespace "partial"...\nPartial failure, cleaning up...\nerror: deploy receiver: pods is forbidden: User "carol" cannot create resource "pods" in API group "" in the namespace "partial"\n',
    );
    for (const [kind, ns] of [["secret", "partial"], ["service", "partial"]]) expect((await c.kubectl.run(["get", kind, "logtap-receiver", "-n", ns])).stderr).toContain("NotFound");
    expect((await c.kubectl.run(["get", "namespace", "partial"])).stderr).toContain("NotFound");
  });

  test("a receiver that cannot start ends the wait with why", async () => {
    await createNamespace(c, "broken");
    const r = await deploy(["-n", "broken", "--image", "registry.example/logtap:never-pulls"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^Deploying receiver in namespace "broken"\.\.\.\nWaiting for receiver to be ready\.\.\.\nerror: receiver pod broken\/logtap-receiver cannot start: pod logtap-receiver: container receiver ImagePullBackOff: .* \(remove it with: logtap deploy --cleanup -n broken\)\n$/,
    );
    await waitFor(async () => (await c.kubectl.run(["get", "pod", "logtap-receiver", "-n", "broken"])).code === 0, 5000, "the pod kept");
    expect((await deploy(["-n", "broken", "--cleanup"])).code).toBe(0);
  });
});

describe.skipIf(skip)("logtap deploy interrupted", () => {
  test("Ctrl+C while waiting deletes what the run created and exits 130", async () => {
    const proc = Bun.spawn([...primaryTarget().cmd, "deploy", "--kubeconfig", c.kubeconfig, "-n", "stopped", "--image", "registry.example/logtap:never-ready"], {
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
    });
    const err = streamText(proc.stderr);
    await waitFor(() => err.text().includes("Waiting for receiver to be ready..."), 20_000, "the wait", 20);
    proc.kill("SIGINT");
    expect(await proc.exited).toBe(130);
    await err.done;
    expect(err.text()).toEndWith("Interrupted: removing what this run created (Ctrl+C again to stop at once)\nerror: interrupted: removed what this run created\n");
    for (const kind of ["pod", "service", "secret"]) expect((await c.kubectl.run(["get", kind, "logtap-receiver", "-n", "stopped"])).stderr).toContain("NotFound");
    expect((await c.kubectl.run(["get", "namespace", "stopped"])).stderr).toContain("NotFound");
  });
});
