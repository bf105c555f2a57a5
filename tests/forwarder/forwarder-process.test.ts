/**
 * The forwarder process as the kubelet runs it, from the compiled binary and the sources: the §23.1 environment
 * errors, the preStop `sleep` (no environment at all), the startup line, the health server (and a busy port), the
 * pod's service account with and without the Role tap creates, a pod with nothing to read, signals during start-up.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createPod, forwarderTargets, grantForwarderRole, podEnv, serviceAccountDir, SESSION, startCluster, startForwarder, tappedPod, waitRunning, type Cluster } from "./fixtures.ts";

let cluster: Cluster;
let saDir: string;
/** A receiver that takes every push, so a stopping forwarder has nothing left to retry. */
const accepting = Bun.serve({ port: 0, fetch: () => new Response(null, { status: 204 }) });
const RECEIVER = `127.0.0.1:${accepting.port}`;
beforeAll(async () => {
  cluster = await startCluster();
  saDir = await serviceAccountDir(cluster);
  await grantForwarderRole(cluster);
  await createPod(cluster, tappedPod("web-0", { scripts: { app: { lines: ["hello"] } } }));
  await createPod(cluster, tappedPod("lonely-0", { scripts: {}, initContainers: [{ name: "setup", image: "registry.example/setup:1" }], extraContainers: [{ name: "logtap-forwarder-lt-ffffffffffffffff", image: "x" }] }));
  await waitRunning(cluster, "web-0", "app");
});
afterAll(async () => {
  accepting.stop(true);
  await cluster?.stop();
});

async function run(cmd: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const t0 = performance.now();
  const p = Bun.spawn(cmd, { env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return { code, stdout, stderr, ms: performance.now() - t0 };
}

for (const target of forwarderTargets()) {
  describe(`forwarder process (${target.name})`, () => {
    test("a missing required variable: upstream's message, exit 1, nothing else", async () => {
      const full = podEnv(cluster, saDir, "web-0", "127.0.0.1:1");
      for (const name of ["LOGTAP_TARGET", "LOGTAP_SESSION", "LOGTAP_POD_NAME", "LOGTAP_NAMESPACE"]) {
        const { [name]: _, ...env } = full;
        const r = await run(target.cmd, env);
        expect({ name, ...r, ms: 0 }).toEqual({ name, code: 1, stdout: "", stderr: `required env var ${name} not set\n`, ms: 0 });
      }
      const bad = await run(target.cmd, { ...full, LOGTAP_BUFFER_SIZE: "lots" });
      expect([bad.code, bad.stderr]).toEqual([1, 'invalid LOGTAP_BUFFER_SIZE: strconv.Atoi: parsing "lots": invalid syntax\n']);
    });

    test("`sleep 5` (the preStop hook) sleeps 5 s and exits 0 with no environment at all; bad arguments are usage errors", async () => {
      const r = await run([...target.cmd, "sleep", "5"], {});
      expect([r.code, r.stdout, r.stderr]).toEqual([0, "", ""]);
      expect(r.ms).toBeGreaterThanOrEqual(4900);
      expect(r.ms).toBeLessThan(9000);
      for (const args of [["sleep"], ["sleep", "1.5"], ["sleep", "-1"], ["sleep", "1", "2"]]) {
        expect(await run([...target.cmd, ...args], {})).toMatchObject({ code: 2, stderr: "usage: logtap-forwarder sleep <seconds>\n" });
      }
      expect(await run([...target.cmd, "forward"], {})).toMatchObject({ code: 2, stderr: "usage: logtap-forwarder [sleep <seconds> | version]\n" });
      const v = await run([...target.cmd, "version"], {});
      expect([v.code, v.stdout]).toEqual([0, expect.stringMatching(/^logtap-forwarder \d+\.\d+\.\d+ \(\S+\)\n$/)]);
    });

    test("startup line, /healthz, /metrics; SIGTERM → `logtap-forwarder stopped`, exit 0", async () => {
      const f = startForwarder(target, podEnv(cluster, saDir, "web-0", RECEIVER));
      const port = await f.healthPort();
      expect(f.stderr().split("\n")[0]).toBe(`logtap-forwarder starting: session=${SESSION} target=http://${RECEIVER} pod=default/web-0`);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect([health.status, await health.json()]).toEqual([200, { status: "ok" }]);
      await f.waitForLog(/following app\n/);
      const m = await f.metrics();
      for (const name of ["logtap_forwarder_retries_total", "logtap_forwarder_buffer_usage_bytes", 'logtap_forwarder_drops_total{reason="evicted"}', "logtap_forwarder_lines_read_total", "logtap_forwarder_lines_pushed_total"]) {
        expect(m[name], name).toBeNumber();
      }
      expect(m.process_resident_memory_bytes).toBeGreaterThan(10 * 1024 * 1024);
      expect(m.process_cpu_seconds_total).toBeGreaterThan(0);
      expect((await fetch(`http://127.0.0.1:${port}/nope`)).status).toBe(404);
      expect(await f.stop("SIGTERM")).toBe(0);
      expect(f.stderr()).toEndWith("logtap-forwarder stopped\n");
    });

    test("a busy health port is logged and ignored: the forwarder still runs", async () => {
      const taken = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("someone else") });
      try {
        const f = startForwarder(target, podEnv(cluster, saDir, "web-0", RECEIVER, { LOGTAP_HEALTH_ADDR: `127.0.0.1:${taken.port}` }));
        await f.waitForLog(/^health server: .+$/m);
        await f.waitForLog(/following app\n/);
        expect(await f.stop("SIGINT")).toBe(0);
        expect(f.stderr()).toEndWith("logtap-forwarder stopped\n");
      } finally {
        taken.stop(true);
      }
    });

    test("without the Role: a clear error naming what the service account lacks, exit 1", async () => {
      const other = await serviceAccountDir(cluster, `nobody-${target.name}`);
      const f = startForwarder(target, podEnv(cluster, other, "web-0", "127.0.0.1:1"));
      expect(await f.proc.exited).toBe(1);
      await f.stop();
      expect(f.stderr()).toContain(
        `get own pod default/web-0: pods "web-0" is forbidden: User "system:serviceaccount:default:nobody-${target.name}" cannot get resource "pods" in API group "" in the namespace "default" (the forwarder's service account needs Role logtap-forwarder: get, list and watch on pods and pods/log; tap creates it)\n`,
      );
    });

    test("only forwarders and init containers in the pod: `no sibling containers found`, exit 1", async () => {
      const f = startForwarder(target, podEnv(cluster, saDir, "lonely-0", "127.0.0.1:1"));
      expect(await f.proc.exited).toBe(1);
      await f.stop();
      expect(f.stderr()).toEndWith("no sibling containers found\n");
    });

    test("outside a pod (no service account, no kubeconfig): says so, exit 1", async () => {
      const { KUBERNETES_SERVICE_HOST: _, ...env } = podEnv(cluster, saDir, "web-0", "127.0.0.1:1");
      const f = startForwarder(target, env);
      expect(await f.proc.exited).toBe(1);
      await f.stop();
      expect(f.stderr()).toEndWith("no in-cluster service account (KUBERNETES_SERVICE_HOST, KUBERNETES_SERVICE_PORT and /var/run/secrets/kubernetes.io/serviceaccount/token) and no kubeconfig: the forwarder runs as a pod's sidecar\n");
    });

    test("SIGTERM while the API server cannot be reached yet: stopped, exit 0", async () => {
      const f = startForwarder(target, { ...podEnv(cluster, saDir, "web-0", "127.0.0.1:1"), KUBERNETES_SERVICE_PORT: "1" });
      await f.waitForLog(/get own pod default\/web-0: .+, retrying in 2s\n/);
      expect(await f.stop("SIGTERM")).toBe(0);
      expect(f.stderr()).toEndWith("logtap-forwarder stopped\n");
    });
  });
}
