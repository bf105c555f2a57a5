/**
 * The forwarder in a tapped pod, as the kubelet runs it: the sidecar exactly as tap builds it (container mode:
 * §23.1's environment from fieldRefs, the liveness probe on /healthz:9091, the preStop `/logtap-forwarder sleep 5`),
 * its image mapped to the forwarder, the stand-in's projected service-account token, and a real `logtap recv`.
 * Deleting the pod runs the preStop hook for its 5 s, then SIGTERM: the app's last lines still arrive, each once.
 */

import { afterAll, beforeAll, expect, test } from "bun:test";
import { buildSidecar } from "../../src/kube/tap/sidecar-container.ts";
import { DEFAULT_SIDECAR_CPU, DEFAULT_SIDECAR_MEMORY, FORWARDER_HEALTH_PORT } from "../../src/kube/tap/forwarder-defaults.ts";
import { entriesViaZstdCli } from "../support/capture-files.ts";
import { startReceiver, tempDir } from "../support/receiver-process.ts";
import { waitFor } from "../support/wait-for.ts";
import { createPod, forwarderTargets, grantForwarderRole, SESSION, startCluster, type Cluster } from "./fixtures.ts";

const IMAGE = "registry.example/logtap-forwarder:test";
const target = forwarderTargets()[0]!;
let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster();
  await grantForwarderRole(cluster);
  // As the image would run it; only the health server's address differs: every pod here shares one network.
  cluster.k.mapImage(IMAGE, (_container, pod) => ({
    command: target.cmd,
    env: { HOME: tempDir("logtap-fwd-home-"), LOGTAP_HEALTH_ADDR: `${pod.status.podIP}:${FORWARDER_HEALTH_PORT}` },
  }));
});
afterAll(() => cluster?.stop());

const podStatus = async (name: string) => ((await (await cluster.k.fetch(`/api/v1/namespaces/default/pods/${name}`)).json()) as any).status;

test(`a tapped pod (${target.name}): tap's sidecar spec runs, reads through the pod's service account, answers /healthz where the probe asks, is stopped by preStop then SIGTERM, pushes every line once`, async () => {
  const recv = await startReceiver();
  const { container: sidecar } = buildSidecar({ session: SESSION, target: recv.url.slice("http://".length), forwarder: "logtap", image: IMAGE, memory: DEFAULT_SIDECAR_MEMORY, cpu: DEFAULT_SIDECAR_CPU, mode: "container" });
  expect((sidecar.lifecycle as { preStop?: { exec?: { command?: string[] } } }).preStop?.exec?.command).toEqual(["/logtap-forwarder", "sleep", "5"]);
  await createPod(cluster, {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "tapped-0", namespace: "default", labels: { app: "shop" }, annotations: { "stand-in.logtap.dev/logs.app": JSON.stringify({ template: "pod line {n}", count: 200, rate: 200 }) } },
    // 3,000 cluster seconds are 30 real ones at the stand-in's time scale: the hook's 5 s fit in the grace period.
    spec: { terminationGracePeriodSeconds: 3000, containers: [{ name: "app", image: "registry.example/shop:1" }, sidecar] },
  });
  await waitFor(async () => ((await recv.metrics()).logtap_logs_written_total ?? 0) >= 200, 30_000, "200 lines in the capture");
  const status = await podStatus("tapped-0");
  const health = await fetch(`http://${status.podIP}:${FORWARDER_HEALTH_PORT}/healthz`);
  expect([health.status, await health.json()]).toEqual([200, { status: "ok" }]);
  const forwarder = status.containerStatuses.find((s: any) => s.name === sidecar.name);
  expect([Boolean(forwarder.state.running), forwarder.restartCount]).toEqual([true, 0]);

  cluster.kubelet.kubelet.container("default", "tapped-0", "app").write(["shutting down", "bye"]);
  const t0 = performance.now();
  expect((await cluster.k.fetch("/api/v1/namespaces/default/pods/tapped-0", { method: "DELETE" })).status).toBe(200);
  await waitFor(async () => (await cluster.k.fetch("/api/v1/namespaces/default/pods/tapped-0")).status === 404, 40_000, "the pod gone");
  // The hook held the forwarder for its 5 s before SIGTERM reached it.
  expect(performance.now() - t0).toBeGreaterThan(4500);
  const log = cluster.kubelet.kubelet.outputs().find((o) => o.pod === "tapped-0" && o.container === sidecar.name)!;
  const lines = log.history.map((h) => h.text);
  expect(lines.slice(0, 3)).toEqual([
    `logtap-forwarder starting: session=${SESSION} target=${recv.url} pod=default/tapped-0`,
    `health server listening on ${status.podIP}:${FORWARDER_HEALTH_PORT}`,
    "following app",
  ]);
  expect(lines.at(-1)).toBe("logtap-forwarder stopped");

  await recv.stop();
  const got = entriesViaZstdCli(recv.dir);
  expect(got.map((e) => e.msg)).toEqual([...Array.from({ length: 200 }, (_, i) => `pod line ${i + 1}`), "shutting down", "bye"]);
  expect(got[0]!.labels).toEqual({ app: "shop", container: "app", namespace: "default", pod: "tapped-0", session: SESSION });
}, 60_000);
