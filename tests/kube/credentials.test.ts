/**
 * Credentials as they reach a real HTTPS server: bearer token, token file (re-read after a 401), basic auth,
 * impersonation headers, exec credential plugins (v1 and v1beta1, token or client certificate, KUBERNETES_EXEC_INFO,
 * cached until expirationTimestamp, run again after a 401, stderr in the error, bounded by the timeout), and the
 * in-cluster service account end to end.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { connectCluster } from "../../src/kube/connect.ts";
import { formatError } from "../../src/common/errors.ts";
import { pki } from "./support/pki.ts";
import { startFakeApiServer, POD_NAMES, type FakeApiServer } from "./support/fake-apiserver.ts";
import { kubeDir, singleContext, writeKubeconfig } from "./support/kubeconfig.ts";

const tokens = ["good-token", "fresh-2", "rotated"];
let server: FakeApiServer;
let mtls: FakeApiServer;
let dir: string;

beforeAll(async () => {
  server = await startFakeApiServer({ auth: { tokens } });
  mtls = await startFakeApiServer({ auth: "client-cert" });
  dir = kubeDir();
});
afterAll(async () => {
  await server.close();
  await mtls.close();
});

let n = 0;
function connect(user: Record<string, unknown>, opts: { server?: FakeApiServer; timeoutMs?: number; cluster?: Record<string, unknown> } = {}) {
  const file = writeKubeconfig(dir, `kc-${n++}.yaml`, singleContext((opts.server ?? server).url, { "certificate-authority": pki().caFile, ...opts.cluster }, user));
  return connectCluster({ kubeconfig: file, timeoutMs: opts.timeoutMs ?? 10_000, env: { PATH: process.env.PATH } });
}

const listPods = (c: ReturnType<typeof connect>) => c.request<{ items: { metadata: { name: string } }[] }>({ path: "/api/v1/namespaces/default/pods" }).then((l) => l.items.map((p) => p.metadata.name));
const lastAuth = (s = server) => s.requests.at(-1)!.headers.authorization;

/** A /bin/sh exec plugin: counts its runs in `<name>.runs`, saves its environment, prints `body` (${N} = run number). */
function plugin(name: string, body: string, opts: { exit?: number; stderr?: string; sleep?: number } = {}): { path: string; runs: () => number; env: () => string } {
  const path = join(dir, name);
  const runs = join(dir, `${name}.runs`);
  writeFileSync(
    path,
    [
      "#!/bin/sh",
      `echo x >> '${runs}'`,
      `N=$(wc -l < '${runs}' | tr -d ' ')`,
      `env > '${path}.env'`,
      opts.sleep ? `sleep ${opts.sleep}` : "",
      opts.stderr ? `printf '%s\\n' '${opts.stderr}' >&2` : "",
      `cat <<EOF\n${body}\nEOF`,
      `exit ${opts.exit ?? 0}`,
      "",
    ].join("\n"),
  );
  chmodSync(path, 0o755);
  return { path, runs: () => (existsSync(runs) ? readFileSync(runs, "utf8").trim().split("\n").length : 0), env: () => readFileSync(`${path}.env`, "utf8") };
}

const credential = (status: Record<string, unknown>, apiVersion = "client.authentication.k8s.io/v1") => JSON.stringify({ kind: "ExecCredential", apiVersion, status });
const execUser = (command: string, extra: Record<string, unknown> = {}) => ({ exec: { apiVersion: "client.authentication.k8s.io/v1", command, interactiveMode: "Never", ...extra } });

describe("tokens and basic auth", () => {
  test("a bearer token is sent; a wrong one is 401: exit 4, naming what was refused and whose credentials", async () => {
    expect(await listPods(connect({ token: "good-token" }))).toEqual(POD_NAMES);
    expect(lastAuth()).toBe("Bearer good-token");
    const err = await listPods(connect({ token: "stale" })).catch((e) => e);
    expect(formatError(err, false)).toEqual({
      code: 4,
      text: `error: cannot list pods in namespace "default": the Kubernetes API server at ${server.url} did not accept the credentials of user "tester" (401 Unauthorized)`,
    });
    expect(JSON.parse(formatError(err, true).text)).toMatchObject({ exit_code: 4, error: "permission", recoverable: false });
  });

  test("token-file: read when used, trimmed, and read again after a 401 (a rotated token)", async () => {
    const file = join(dir, "token");
    writeFileSync(file, "good-token\n");
    const c = connect({ "token-file": file });
    expect(await listPods(c)).toEqual(POD_NAMES);
    expect(lastAuth()).toBe("Bearer good-token");
    writeFileSync(file, "rotated\n");
    tokens.splice(tokens.indexOf("good-token"), 1);
    try {
      expect(await listPods(c)).toEqual(POD_NAMES);
      expect(server.requests.slice(-2).map((r) => r.headers.authorization)).toEqual(["Bearer good-token", "Bearer rotated"]);
    } finally {
      tokens.push("good-token");
    }
  });

  test("a missing token file: exit 3 naming it", async () => {
    const err = await listPods(connect({ "token-file": join(dir, "no-token") })).catch((e) => e);
    expect(formatError(err, false)).toEqual({ code: 3, text: `error: token-file of user "tester": ${join(dir, "no-token")}: no such file` });
  });

  test("basic auth and impersonation headers (as, as-groups, as-uid)", async () => {
    const open = await startFakeApiServer({ auth: "none" });
    try {
      const user = { username: "bob", password: "pw", as: "alice", "as-groups": ["devs", "ops"], "as-uid": "42" };
      await connect(user, { server: open }).serverVersion();
      const h = open.requests.at(-1)!.headers;
      expect(h.authorization).toBe(`Basic ${Buffer.from("bob:pw").toString("base64")}`);
      expect([h["impersonate-user"], h["impersonate-group"], h["impersonate-uid"]]).toEqual(["alice", "devs, ops", "42"]);
    } finally {
      await open.close();
    }
  });
});

describe("exec credential plugins", () => {
  test("v1 token: sent as bearer; the plugin gets exec.env and KUBERNETES_EXEC_INFO (not interactive, cluster info on request)", async () => {
    const p = plugin("v1-token", credential({ token: "good-token" }));
    const c = connect(execUser(p.path, { args: ["get-token", "--cluster", "c1"], env: [{ name: "AWS_PROFILE", value: "prod" }], provideClusterInfo: true }));
    expect(await listPods(c)).toEqual(POD_NAMES);
    expect(lastAuth()).toBe("Bearer good-token");
    const env = p.env();
    expect(env).toContain("AWS_PROFILE=prod\n");
    const info = JSON.parse(/^KUBERNETES_EXEC_INFO=(.*)$/m.exec(env)![1]!);
    expect(info).toMatchObject({ kind: "ExecCredential", apiVersion: "client.authentication.k8s.io/v1", spec: { interactive: false, cluster: { server: server.url } } });
    expect(Buffer.from(info.spec.cluster["certificate-authority-data"], "base64").toString()).toBe(pki().ca);
  });

  test("cached until expirationTimestamp: one run for three calls; an expired credential runs the plugin each time", async () => {
    const later = plugin("cached", credential({ token: "good-token", expirationTimestamp: new Date(Date.now() + 3600_000).toISOString() }));
    const c = connect(execUser(later.path));
    for (let i = 0; i < 3; i++) await listPods(c);
    expect(later.runs()).toBe(1);
    const past = plugin("expired", credential({ token: "good-token", expirationTimestamp: "2020-01-01T00:00:00Z" }));
    const c2 = connect(execUser(past.path));
    for (let i = 0; i < 3; i++) await listPods(c2);
    expect(past.runs()).toBe(3);
  });

  test("after a 401 the plugin runs again once and the request is retried with the new token", async () => {
    const p = plugin("refresh", credential({ token: "fresh-${N}" }));
    expect(await listPods(connect(execUser(p.path)))).toEqual(POD_NAMES);
    expect(p.runs()).toBe(2);
    expect(server.requests.slice(-2).map((r) => r.headers.authorization)).toEqual(["Bearer fresh-1", "Bearer fresh-2"]);
  });

  test("v1beta1 returning a client certificate and key: mutual TLS with the plugin's certificate", async () => {
    const p = pki();
    const cred = credential({ clientCertificateData: p.clientCert, clientKeyData: p.clientKey }, "client.authentication.k8s.io/v1beta1");
    const pl = plugin("cert", cred);
    const c = connect({ exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: pl.path } }, { server: mtls });
    expect(await listPods(c)).toEqual(POD_NAMES);
    expect(mtls.requests.at(-1)!.clientCert).toBe(true);
  });

  test("a failing plugin: its stderr in the one-line error, exit 4", async () => {
    const p = plugin("failing", "", { exit: 255, stderr: "An error occurred (ExpiredToken) when calling the AssumeRole operation: token expired" });
    const err = await listPods(connect(execUser(p.path))).catch((e) => e);
    expect(formatError(err, false)).toEqual({ code: 4, text: "error: exec plugin failing failed with exit code 255: An error occurred (ExpiredToken) when calling the AssumeRole operation: token expired" });
  });

  test("a plugin that is not installed: exit 3 with its installHint on the same line", async () => {
    const err = await listPods(connect(execUser("gke-gcloud-auth-plugin-not-here", { installHint: "Install gke-gcloud-auth-plugin:\n  gcloud components install gke-gcloud-auth-plugin" }))).catch((e) => e);
    expect(formatError(err, false)).toEqual({
      code: 3,
      text: "error: exec plugin gke-gcloud-auth-plugin-not-here not found on PATH: Install gke-gcloud-auth-plugin:; gcloud components install gke-gcloud-auth-plugin",
    });
  });

  test("output for another apiVersion, or without token or certificate, is refused", async () => {
    const other = plugin("other-version", credential({ token: "good-token" }, "client.authentication.k8s.io/v1beta1"));
    expect((await listPods(connect(execUser(other.path))).catch((e) => e)).message).toBe(
      "exec plugin other-version: is configured for client.authentication.k8s.io/v1 but returned client.authentication.k8s.io/v1beta1",
    );
    const empty = plugin("empty", credential({}));
    expect((await listPods(connect(execUser(empty.path))).catch((e) => e)).message).toBe("exec plugin empty: returned neither a token nor a client certificate");
  });

  test("a plugin that hangs is stopped at the timeout: exit 5", async () => {
    const p = plugin("hangs", credential({ token: "good-token" }), { sleep: 30 });
    const t0 = Date.now();
    const err = await listPods(connect(execUser(p.path), { timeoutMs: 400 })).catch((e) => e);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(formatError(err, false)).toEqual({ code: 5, text: "error: exec plugin hangs: timeout: no credential within 400ms" });
  });
});

describe("in-cluster service account", () => {
  test("token and CA files from the (overridden) mount directory reach the server", async () => {
    const sa = kubeDir();
    writeFileSync(join(sa, "token"), "good-token");
    writeFileSync(join(sa, "ca.crt"), pki().ca);
    writeFileSync(join(sa, "namespace"), "default");
    const c = connectCluster({
      timeoutMs: 5000,
      env: { HOME: "/nonexistent", KUBERNETES_SERVICE_HOST: "127.0.0.1", KUBERNETES_SERVICE_PORT: String(server.port), LOGTAP_TEST_SERVICEACCOUNT_DIR: sa },
    });
    expect([c.context, c.namespace, c.source]).toEqual(["in-cluster", "default", "in-cluster service account"]);
    expect(await listPods(c)).toEqual(POD_NAMES);
    expect(lastAuth()).toBe("Bearer good-token");
  });
});
