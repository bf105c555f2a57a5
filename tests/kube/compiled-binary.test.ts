/**
 * The transport inside a compiled executable: a tiny entry (fixtures/list-pods-entry.ts) built with logtap's
 * `bun build --compile` flags connects with mutual TLS and lists pods, raw and through client-node's typed client;
 * against the stand-in cluster too (its own CA, a client certificate as the identity); an unreachable server is one
 * line and exit 5. (logtap's own kube commands are tested against the stand-in.)
 */

import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import { COMPILE_FLAGS } from "../../scripts/compile-flags.ts";
import { BUN, ROOT } from "../support/cli.ts";
import { pki } from "./support/pki.ts";
import { startFakeApiServer, POD_NAMES, VERSION, type FakeApiServer } from "./support/fake-apiserver.ts";
import { kubeDir, singleContext, writeKubeconfig } from "./support/kubeconfig.ts";
import { startStandIn } from "../kube-stand-in/stand-in.ts";
import { connectCluster } from "../../src/kube/connect.ts";

let server: FakeApiServer;
let exe: string;
const dir = kubeDir();

beforeAll(async () => {
  server = await startFakeApiServer({ auth: "client-cert" });
  exe = join(dir, "list-pods");
  const build = Bun.spawnSync([BUN, "build", join(ROOT, "tests/kube/fixtures/list-pods-entry.ts"), ...COMPILE_FLAGS, "--outfile", exe], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
  if (build.exitCode !== 0) throw new Error(`compile failed: ${build.stderr.toString()}`);
}, 120_000);
afterAll(() => server.close());

async function run(kubeconfig: string) {
  // No KUBECONFIG or HOME to fall back on: only the file given counts.
  const proc = Bun.spawn([exe, kubeconfig], { stdout: "pipe", stderr: "pipe", env: { PATH: process.env.PATH ?? "", HOME: "/nonexistent" } });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { stdout, stderr, code };
}

test("the compiled executable connects with the cluster CA and a client certificate and lists pods", async () => {
  const p = pki();
  const kc = writeKubeconfig(dir, "mtls.yaml", singleContext(server.url, { "certificate-authority": p.caFile }, { "client-certificate": p.clientCertFile, "client-key": p.clientKeyFile }));
  const r = await run(kc);
  expect(r.stderr).toBe("");
  expect(JSON.parse(r.stdout)).toEqual({ version: VERSION.gitVersion, raw: POD_NAMES, typed: POD_NAMES });
  expect(r.code).toBe(0);
  expect(server.requests.every((q) => q.clientCert)).toBe(true);
}, 60_000);

test("the compiled executable against the stand-in cluster: its CA, a client certificate, a pod it created", async () => {
  const k = await startStandIn();
  try {
    const admin = k.kubeconfig();
    const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "probe", namespace: "default" }, spec: { containers: [{ name: "app", image: "nginx:1.27" }] } };
    const c = connectCluster({ kubeconfig: admin, timeoutMs: 5000, env: {} });
    await c.request({ method: "POST", path: "/api/v1/namespaces/default/pods", body: pod });
    const r = await run(admin);
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual({ version: k.version, raw: ["probe"], typed: ["probe"] });
  } finally {
    await k.stop();
  }
}, 60_000);

test("the compiled executable reports an unreachable server in one line, exit 5", async () => {
  const s = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = s.port;
  s.stop(true);
  const kc = writeKubeconfig(dir, "down.yaml", singleContext(`https://127.0.0.1:${port}`, { "certificate-authority": pki().caFile }, { token: "t" }));
  expect(await run(kc)).toEqual({ stdout: "", stderr: `error: cannot reach the Kubernetes API server at https://127.0.0.1:${port}: connection refused\n`, code: 5 });
}, 60_000);
