/**
 * The transport over real TLS on loopback: the cluster CA and the client certificate reach the handshake (the
 * server demands a certificate signed by the cluster CA), from files and from base64 data, for raw requests and
 * for client-node's typed clients; client-node's own transport drops them under Bun (the trap this layer exists
 * for); insecure-skip-tls-verify, tls-server-name and proxy-url.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { KubeConfig, CoreV1Api } from "@kubernetes/client-node";
import { connectCluster } from "../../src/kube/connect.ts";
import { formatError } from "../../src/common/errors.ts";
import { b64, pki } from "./support/pki.ts";
import { startFakeApiServer, POD_NAMES, VERSION, type FakeApiServer } from "./support/fake-apiserver.ts";
import { kubeDir, singleContext, writeKubeconfig } from "./support/kubeconfig.ts";
import { startConnectProxy } from "./support/connect-proxy.ts";

const ENV = { HOME: "/nonexistent" };
let mtls: FakeApiServer;
let dir: string;

beforeAll(async () => {
  mtls = await startFakeApiServer({ auth: "client-cert" });
  dir = kubeDir();
});
afterAll(() => mtls.close());

function connect(cluster: Record<string, unknown>, user: Record<string, unknown>, server = mtls.url) {
  const file = writeKubeconfig(dir, `kc-${Math.random().toString(36).slice(2)}.yaml`, singleContext(server, cluster, user));
  return connectCluster({ kubeconfig: file, timeoutMs: 10_000, env: ENV });
}

const podNames = (list: { items: { metadata: { name: string } }[] }) => list.items.map((p) => p.metadata.name);

describe("mutual TLS", () => {
  test("CA and client certificate from files: /version and a pod list; the server verified our certificate", async () => {
    const p = pki();
    const c = connect({ "certificate-authority": p.caFile }, { "client-certificate": p.clientCertFile, "client-key": p.clientKeyFile });
    expect(await c.serverVersion()).toEqual(VERSION);
    expect(podNames(await c.request({ path: "/api/v1/namespaces/default/pods" }))).toEqual(POD_NAMES);
    expect(mtls.requests.at(-1)!.clientCert).toBe(true);
    expect(mtls.requests.at(-1)!.headers["user-agent"]).toBe("logtap");
  });

  test("CA and client certificate as base64 data", async () => {
    const p = pki();
    const c = connect({ "certificate-authority-data": b64(p.ca) }, { "client-certificate-data": b64(p.clientCert), "client-key-data": b64(p.clientKey) });
    expect(podNames(await c.request({ path: "/api/v1/namespaces/default/pods" }))).toEqual(POD_NAMES);
  });

  test("client-node's typed CoreV1Api, sent through our transport", async () => {
    const p = pki();
    const c = connect({ "certificate-authority": p.caFile }, { "client-certificate": p.clientCertFile, "client-key": p.clientKeyFile });
    const { core, version } = await c.api();
    const list = await core.listNamespacedPod({ namespace: "default" });
    expect(list.items.map((x) => x.metadata?.name)).toEqual(POD_NAMES);
    expect((await version.getCode()).gitVersion).toBe(VERSION.gitVersion);
  });

  // If this starts passing, Bun honours undici dispatchers (oven-sh/bun#19754) and the own transport could go.
  test("client-node's own transport drops the CA and the client certificate under Bun", async () => {
    const p = pki();
    const file = writeKubeconfig(dir, "plain-client-node.yaml", singleContext(mtls.url, { "certificate-authority": p.caFile }, { "client-certificate": p.clientCertFile, "client-key": p.clientKeyFile }));
    const kc = new KubeConfig();
    kc.loadFromFile(file);
    const err = await kc
      .makeApiClient(CoreV1Api)
      .listNamespacedPod({ namespace: "default" })
      .then(() => undefined, (e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect(String((err as { code?: string }).code ?? err!.message)).toMatch(/CERT|certificate|EPROTO|handshake/i);
  });

  test("without a client certificate the handshake is refused: one line, exit 1, saying why", async () => {
    const c = connect({ "certificate-authority": pki().caFile }, {});
    const err = await c.serverVersion().catch((e) => e);
    const f = formatError(err, false);
    expect(f.code).toBe(1);
    expect(f.text).toBe(`error: TLS connection to the Kubernetes API server at ${mtls.url} failed: the TLS handshake failed: the server refused the client certificate, or does not speak TLS on this port (EPROTO)`);
  });

  // TLS 1.3 checks the client's certificate after the client's side of the handshake is done: all we see is a reset.
  test("a client certificate from another CA is refused: a reset, with the likely reason", async () => {
    const p = pki();
    const c = connect({ "certificate-authority": p.caFile }, { "client-certificate-data": b64(p.strangerCert), "client-key-data": b64(p.strangerKey) });
    const err = await c.serverVersion().catch((e) => e);
    expect(err.message).toBe(`cannot reach the Kubernetes API server at ${mtls.url}: connection reset by the server (a server that requires client certificates may have refused ours)`);
  });

  test("a server certificate the kubeconfig's CA did not sign: TLS error naming certificate-authority", async () => {
    const p = pki();
    const c = connect({ "certificate-authority-data": b64(p.otherCa) }, { "client-certificate": p.clientCertFile, "client-key": p.clientKeyFile });
    const err = await c.serverVersion().catch((e) => e);
    expect(err.kind).toBe("tls");
    expect(err.message).toContain("certificate-authority");
  });
});

test("clientNodeConfig(): the context as a client-node KubeConfig whose HTTPS options carry the CA and certificate", async () => {
  const p = pki();
  const c = connect({ "certificate-authority": p.caFile, "tls-server-name": "kube.internal" }, { "client-certificate": p.clientCertFile, "client-key": p.clientKeyFile });
  const kc = await c.clientNodeConfig();
  expect(kc.getCurrentCluster()?.server).toBe(mtls.url);
  expect(kc.getContextObject(kc.getCurrentContext())?.namespace).toBe("default");
  const opts: { ca?: Buffer; cert?: Buffer; key?: Buffer; servername?: string } = {};
  await kc.applyToHTTPSOptions(opts);
  expect([opts.ca?.toString(), opts.cert?.toString(), opts.key?.toString(), opts.servername]).toEqual([p.ca, p.clientCert, p.clientKey, "kube.internal"]);
});

describe("server verification settings", () => {
  test("insecure-skip-tls-verify: no CA needed; without it the same server is refused", async () => {
    const p = pki();
    const user = { "client-certificate": p.clientCertFile, "client-key": p.clientKeyFile };
    expect(podNames(await connect({ "insecure-skip-tls-verify": true }, user).request({ path: "/api/v1/namespaces/default/pods" }))).toEqual(POD_NAMES);
    expect((await connect({}, user).serverVersion().catch((e) => e)).kind).toBe("tls");
  });

  test("tls-server-name: SNI and the name checked, for a certificate that does not name 127.0.0.1", async () => {
    const p = pki();
    const named = await startFakeApiServer({ auth: "none", cert: p.namedCert, key: p.namedKey });
    try {
      const ok = connect({ "certificate-authority": p.caFile, "tls-server-name": "kube.internal" }, {}, named.url);
      expect(await ok.serverVersion()).toEqual(VERSION);
      expect(named.requests.at(-1)!.servername).toBe("kube.internal");
      const err = await connect({ "certificate-authority": p.caFile }, {}, named.url).serverVersion().catch((e) => e);
      expect(err.kind).toBe("tls");
      expect(err.message).toContain("tls-server-name");
    } finally {
      await named.close();
    }
  });
});

describe("proxy-url", () => {
  test("an http:// proxy tunnels the mutual-TLS connection (CONNECT)", async () => {
    const p = pki();
    const proxy = startConnectProxy();
    try {
      const c = connect({ "certificate-authority": p.caFile, "proxy-url": proxy.url }, { "client-certificate": p.clientCertFile, "client-key": p.clientKeyFile });
      expect(podNames(await c.request({ path: "/api/v1/namespaces/default/pods" }))).toEqual(POD_NAMES);
      expect(proxy.targets).toEqual([`127.0.0.1:${mtls.port}`]);
    } finally {
      proxy.stop();
    }
  });

  test("a SOCKS proxy is refused before any request: Bun's fetch has none (exit 2)", () => {
    const err = (() => {
      try {
        connect({ "certificate-authority": pki().caFile, "proxy-url": "socks5://127.0.0.1:1080" }, {});
      } catch (e) {
        return e;
      }
    })();
    expect(formatError(err, false)).toEqual({ code: 2, text: "error: proxy-url socks5://127.0.0.1:1080: only http:// and https:// proxies are supported" });
  });
});
