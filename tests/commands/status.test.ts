/**
 * `logtap status` against the stand-in over mutual TLS (binary and sources): tapped workloads of both kinds of tap,
 * pods whose forwarder runs or never starts, and three receivers — a real `logtap recv` over http, one over https
 * with its own CA (`recv --tls-cert/--tls-key`), and one that is down. The values shown are checked against the
 * receivers' own /metrics, the workloads and pods against kubectl.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { cliTargets, runCli } from "../support/cli.ts";
import { startReceiver, type RunningReceiver } from "../support/receiver-process.ts";
import { makeTestCerts, type TestCerts } from "../support/tls-certs.ts";
import { waitFor } from "../support/wait-for.ts";
import {
  apply,
  createNamespace,
  deployment,
  kubectlMissing,
  ourTapped,
  startTestCluster,
  statefulSet,
  unreachableKubeconfig,
  upstreamTapped,
  waitForRunningPods,
  type TestCluster,
} from "./check-fixtures.ts";

const skip = kubectlMissing("logtap status against the stand-in cluster");
const WEB_SESSION = "lt-fedcba9876543210";
const API_SESSION = "lt-0123456789abcdef";
const DB_SESSION = "lt-00000000deadbeef";

let c: TestCluster;
let certs: TestCerts;
let plain: RunningReceiver;
let secure: RunningReceiver;
let httpsTarget: string;
let downTarget: string;

async function push(r: RunningReceiver, lines: number): Promise<void> {
  const now = BigInt(Date.now()) * 1_000_000n;
  const values = Array.from({ length: lines }, (_, i) => [String(now + BigInt(i)), `line ${i}`]);
  const res = await fetch(`${r.url}/loki/api/v1/push`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ streams: [{ stream: { app: "web" }, values }] }) });
  expect(res.status).toBe(204);
}

/** The https receiver's own /metrics (startReceiver's helper speaks http), trusting its CA. */
async function secureMetrics(): Promise<Record<string, number>> {
  const text = await (await fetch(`${httpsTarget}/metrics`, { tls: { ca: await Bun.file(certs.caCert).text() } } as RequestInit)).text();
  return Object.fromEntries(text.split("\n").filter((l) => l !== "" && !l.startsWith("#")).map((l) => [l.slice(0, l.lastIndexOf(" ")), Number(l.slice(l.lastIndexOf(" ") + 1))]));
}

beforeAll(async () => {
  if (skip) return;
  c = await startTestCluster();
  certs = makeTestCerts();
  plain = await startReceiver();
  secure = await startReceiver(["--tls-cert", certs.serverCert, "--tls-key", certs.serverKey]);
  httpsTarget = secure.url.replace("http://", "https://");
  const closed = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("") });
  downTarget = `127.0.0.1:${closed.port}`;
  closed.stop(true);
  await push(plain, 7);
  await waitFor(async () => (await plain.metrics())["logtap_logs_written_total"] === 7, 10_000, "the receiver to write 7 entries");
  // Its disk usage settles once the frame is closed (at least once a second): then status and the test read one value.
  let disk = -1;
  await waitFor(
    async () => {
      const before = disk;
      disk = (await plain.metrics())["logtap_disk_usage_bytes"]!;
      return disk === before;
    },
    10_000,
    "the receiver's disk usage to settle",
    1100,
  );
  for (const ns of ["shop", "empty"]) await createNamespace(c, ns);
  await apply(
    c,
    // Ours, native sidecar (an init container with restartPolicy Always), target as host:port.
    ourTapped(deployment("shop", "web", { replicas: 2 }), WEB_SESSION, plain.url.replace("http://", "")),
    // Upstream's, sidecar among the app containers, an https URL target.
    upstreamTapped(deployment("shop", "api"), API_SESSION, httpsTarget),
    // A forwarder image that never pulls: the pod runs its app, the sidecar never starts.
    upstreamTapped(statefulSet("shop", "db"), DB_SESSION, downTarget, "registry.example/forwarder:never-pulls"),
    deployment("shop", "plain"),
    deployment("empty", "untouched"),
  );
  await waitForRunningPods(c, "shop", "web", 2);
  await waitForRunningPods(c, "shop", "api", 1);
  await waitFor(async () => (await c.kubectl.json(["get", "pods", "-n", "shop", "-l", "app=db"])).items.length === 1, 20_000, "the db pod", 100);
}, 60_000);

afterAll(async () => {
  await plain?.stop();
  await secure?.stop();
  await c?.stop();
});

const pad = (name: string) => name.padEnd(24);

describe.each(cliTargets().map((t) => [t.name, t] as const))("logtap status (%s)", (_name, target) => {
  const status = (args: string[], env: Record<string, string> = {}, kubeconfig = c.kubeconfig) => runCli(["status", "--kubeconfig", kubeconfig, ...args], { target, env });

  test.skipIf(skip)("text: each receiver once with its values (http, https unverified, down), then the tapped workloads", async () => {
    const r = await status(["-n", "shop"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    const m = await plain.metrics();
    const s = await secureMetrics();
    expect(r.stderr).toBe(
      [
        // Deployments first (api, web), then the StatefulSet: the receivers in the order their workloads name them.
        `Receiver:      ${httpsTarget} (reachable)`,
        "               certificate not verified: unable to verify the first certificate (UNABLE_TO_VERIFY_LEAF_SIGNATURE)",
        `Logs received: ${s["logtap_logs_received_total"]}`,
        `Disk used:     ${s["logtap_disk_usage_bytes"]}`,
        `Dropped:       ${s["logtap_logs_dropped_total"]}`,
        `Receiver:      ${plain.url.replace("http://", "")} (reachable)`,
        "Logs received: 7",
        `Disk used:     ${m["logtap_disk_usage_bytes"]}`,
        `Dropped:       ${m["logtap_logs_dropped_total"]}`,
        `Receiver:      ${downTarget} (not reachable: connection refused)`,
        "",
        "Tapped workloads:",
        `  Deployment/${pad("api")} (shop)     1/1 pods forwarding   sessions: ${API_SESSION}`,
        `  Deployment/${pad("web")} (shop)     2/2 pods forwarding   sessions: ${WEB_SESSION}`,
        `  StatefulSet/${pad("db")} (shop)     0/1 pods forwarding   sessions: ${DB_SESSION}`,
        "",
      ].join("\n"),
    );
  });

  test.skipIf(skip)("https with the receiver's CA trusted (NODE_EXTRA_CA_CERTS): verified, no note", async () => {
    const r = await status(["-n", "shop"], { NODE_EXTRA_CA_CERTS: certs.caCert });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`Receiver:      ${httpsTarget} (reachable)\nLogs received: `);
    expect(r.stderr).not.toContain("certificate not verified");
  });

  test.skipIf(skip)("JSON: §22.9's array (pods, ready/total), plus each workload's receiver; the same pods as kubectl lists", async () => {
    const r = await status(["-n", "shop", "--json"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const j = JSON.parse(r.stdout);
    expect(j.map((w: any) => [w.workload.kind, w.workload.name, w.sessions, w.ready, w.total])).toEqual([
      ["Deployment", "api", [API_SESSION], 1, 1],
      ["Deployment", "web", [WEB_SESSION], 2, 2],
      ["StatefulSet", "db", [DB_SESSION], 0, 1],
    ]);
    for (const w of j) expect(Object.keys(w)).toEqual(["workload", "sessions", "target", "pods", "ready", "total", "receiver"]);
    expect(j[1].workload).toEqual({ kind: "Deployment", name: "web", namespace: "shop", replicas: 2 });
    expect(j[1].target).toBe(plain.url.replace("http://", ""));
    const m = await plain.metrics();
    expect(j[1].receiver).toEqual({
      url: `${plain.url}/metrics`,
      reachable: true,
      logs_received: "7",
      disk_used: String(m["logtap_disk_usage_bytes"]),
      dropped: String(m["logtap_logs_dropped_total"]),
    });
    expect(j[0].receiver).toMatchObject({ url: `${httpsTarget}/metrics`, reachable: true, certificate_error: "unable to verify the first certificate (UNABLE_TO_VERIFY_LEAF_SIGNATURE)" });
    expect(j[2].receiver).toEqual({ url: `http://${downTarget}/metrics`, reachable: false, error: "connection refused" });
    expect(j[2].pods).toEqual([{ name: "db-0", sidecar_running: false }]);
    // kubectl: the same pods, and whose forwarder container runs.
    for (const w of j) {
      const pods = await c.kubectl.json(["get", "pods", "-n", "shop", "-l", `app=${w.workload.name}`]);
      const running = (p: any) =>
        [...(p.status.containerStatuses ?? []), ...(p.status.initContainerStatuses ?? [])].some((s: any) => s.name.startsWith("logtap-forwarder-") && s.state?.running);
      expect(w.pods).toEqual(pods.items.map((p: any) => ({ name: p.metadata.name, sidecar_running: running(p) })));
    }
  });

  test.skipIf(skip)("nothing tapped: `No tapped workloads found`, JSON null", async () => {
    const text = await status(["-n", "empty"]);
    expect({ code: text.code, stderr: text.stderr, stdout: text.stdout }).toEqual({ code: 0, stderr: "No tapped workloads found\n", stdout: "" });
    const json = await status(["-n", "empty", "--format", "json"]);
    expect({ code: json.code, stdout: json.stdout }).toEqual({ code: 0, stdout: "null\n" });
  });

  test.skipIf(skip)("errors: forbidden 4 naming verb and resource, missing namespace 3, unreachable 5, no cluster configured 3", async () => {
    const nobody = c.standIn.kubeconfig({ user: "nobody" });
    const forbidden = await status(["-n", "shop"], {}, nobody);
    expect({ code: forbidden.code, stderr: forbidden.stderr }).toEqual({
      code: 4,
      stderr: 'error: list deployments: deployments.apps is forbidden: User "nobody" cannot list resource "deployments" in API group "apps" in the namespace "shop"\n',
    });
    const missing = await status(["-n", "nosuch", "--json"]);
    expect(missing.code).toBe(3);
    expect(JSON.parse(missing.stderr)).toEqual({ exit_code: 3, error: "not_found", message: 'namespaces "nosuch" not found', recoverable: false });
    const down = await status([], {}, unreachableKubeconfig(c));
    expect(down.code).toBe(5);
    expect(down.stderr).toMatch(/^error: cannot reach the Kubernetes API server at https:\/\/127\.0\.0\.1:\d+: connection refused\n$/);
    const none = await runCli(["status"], { target, env: { KUBECONFIG: "", HOME: c.standIn.ca.dir, KUBERNETES_SERVICE_HOST: "", KUBERNETES_SERVICE_PORT: "" } });
    expect({ code: none.code, stderr: none.stderr }).toEqual({
      code: 3,
      stderr: "error: connect to cluster: no Kubernetes cluster configured — set KUBECONFIG or ensure ~/.kube/config exists\n",
    });
  });
});
