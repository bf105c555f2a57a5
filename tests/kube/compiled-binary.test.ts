/**
 * The transport inside a compiled executable: a tiny entry (fixtures/list-pods-entry.ts) built with logtap's
 * `bun build --compile` flags connects with mutual TLS and lists pods, raw and through client-node's typed client;
 * an unreachable server is one line and exit 5. stand-in.test.ts runs the same executable against the stand-in.
 */

import { afterAll, beforeAll, expect, test } from "bun:test";
import { compileListPods, type RunResult } from "./support/list-pods-binary.ts";
import { pki } from "./support/pki.ts";
import { startFakeApiServer, POD_NAMES, VERSION, type FakeApiServer } from "./support/fake-apiserver.ts";
import { kubeDir, singleContext, writeKubeconfig } from "./support/kubeconfig.ts";

let server: FakeApiServer;
let run: (kubeconfig: string) => Promise<RunResult>;
const dir = kubeDir();

beforeAll(async () => {
  server = await startFakeApiServer({ auth: "client-cert" });
  run = compileListPods(dir);
}, 120_000);
afterAll(() => server.close());

test("the compiled executable connects with the cluster CA and a client certificate and lists pods", async () => {
  const p = pki();
  const kc = writeKubeconfig(dir, "mtls.yaml", singleContext(server.url, { "certificate-authority": p.caFile }, { "client-certificate": p.clientCertFile, "client-key": p.clientKeyFile }));
  const r = await run(kc);
  expect(r.stderr).toBe("");
  expect(JSON.parse(r.stdout)).toEqual({ version: VERSION.gitVersion, raw: POD_NAMES, typed: POD_NAMES });
  expect(r.code).toBe(0);
  expect(server.requests.every((q) => q.clientCert)).toBe(true);
}, 60_000);

test("the compiled executable reports an unreachable server in one line, exit 5", async () => {
  const s = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = s.port;
  s.stop(true);
  const kc = writeKubeconfig(dir, "down.yaml", singleContext(`https://127.0.0.1:${port}`, { "certificate-authority": pki().caFile }, { token: "t" }));
  expect(await run(kc)).toEqual({ stdout: "", stderr: `error: cannot reach the Kubernetes API server at https://127.0.0.1:${port}: connection refused\n`, code: 5 });
}, 60_000);
