/**
 * Loading as kubectl does: --kubeconfig alone, KUBECONFIG merged first-wins (names and current-context), the home
 * kubeconfig, the pod's service account; context and namespace selection; relative paths; the errors and their
 * exit codes. No server is needed: nothing here sends a request.
 */

import { describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadClusterConfig, NO_CLUSTER_MESSAGE } from "../../src/kube/kubeconfig/load.ts";
import { formatError } from "../../src/common/errors.ts";
import { kubeDir, writeKubeconfig } from "./support/kubeconfig.ts";

const NO_HOME = "/nonexistent-home";

function failure(fn: () => unknown): { code: number; text: string } {
  try {
    fn();
  } catch (e) {
    return formatError(e, false);
  }
  throw new Error("expected a failure");
}

describe("KUBECONFIG with several files", () => {
  const dir = kubeDir();
  const a = writeKubeconfig(dir, "a.yaml", {
    clusters: { shared: { server: "https://a.example:6443" }, "only-a": { server: "https://only-a:6443" } },
    users: { admin: { token: "token-a" } },
    contexts: { shared: { cluster: "shared", user: "admin", namespace: "from-a" }, "ctx-a": { cluster: "only-a", user: "admin" } },
    current: "ctx-a",
  });
  const b = writeKubeconfig(dir, "b.yaml", {
    clusters: { shared: { server: "https://b.example:6443" }, "only-b": { server: "https://only-b:6443" } },
    users: { admin: { token: "token-b" } },
    contexts: { shared: { cluster: "shared", user: "admin", namespace: "from-b" }, "ctx-b": { cluster: "only-b", user: "admin" } },
    current: "ctx-b",
  });

  test("the first file wins for a name defined twice (client-node would throw) and for current-context", () => {
    const c = loadClusterConfig({ env: { KUBECONFIG: `${a}:${b}`, HOME: NO_HOME } });
    expect(c.context).toBe("ctx-a");
    const shared = loadClusterConfig({ context: "shared", env: { KUBECONFIG: `${a}:${b}`, HOME: NO_HOME } });
    expect([shared.cluster.server, shared.user.token, shared.namespace]).toEqual(["https://a.example:6443", "token-a", "from-a"]);
    expect(shared.source).toBe(`${a}, ${b}`);
  });

  test("the other order gives the other answers", () => {
    const c = loadClusterConfig({ context: "shared", env: { KUBECONFIG: `${b}:${a}`, HOME: NO_HOME } });
    expect([c.cluster.server, c.user.token, c.namespace]).toEqual(["https://b.example:6443", "token-b", "from-b"]);
    expect(loadClusterConfig({ env: { KUBECONFIG: `${b}:${a}`, HOME: NO_HOME } }).context).toBe("ctx-b");
  });

  test("names only one file defines come from that file; a later file's current-context counts when earlier ones set none", () => {
    const none = writeKubeconfig(dir, "no-current.yaml", { clusters: { n: { server: "https://n:6443" } }, contexts: { n: { cluster: "n" } } });
    const c = loadClusterConfig({ env: { KUBECONFIG: `${none}:${b}`, HOME: NO_HOME } });
    expect([c.context, c.cluster.server]).toEqual(["ctx-b", "https://only-b:6443"]);
    expect(loadClusterConfig({ context: "n", env: { KUBECONFIG: `${none}:${b}`, HOME: NO_HOME } }).user).toEqual({ name: "" });
  });

  test("missing files and empty entries in KUBECONFIG are skipped, as kubectl does", () => {
    const c = loadClusterConfig({ env: { KUBECONFIG: `${join(dir, "missing.yaml")}::${b}`, HOME: NO_HOME } });
    expect(c.context).toBe("ctx-b");
    expect(c.source).toBe(b);
  });

  test("--kubeconfig reads that file alone, whatever KUBECONFIG says; a missing one is exit 3", () => {
    expect(loadClusterConfig({ kubeconfig: b, env: { KUBECONFIG: a, HOME: NO_HOME } }).context).toBe("ctx-b");
    expect(failure(() => loadClusterConfig({ kubeconfig: join(dir, "nope.yaml"), env: {} }))).toEqual({ code: 3, text: `error: kubeconfig ${join(dir, "nope.yaml")}: no such file` });
  });
});

describe("context and namespace", () => {
  const dir = kubeDir();
  const file = writeKubeconfig(dir, "config", {
    clusters: { c1: { server: "https://c1:6443/" } },
    users: { u1: { token: "t" } },
    contexts: { dev: { cluster: "c1", user: "u1", namespace: "team-a" }, plain: { cluster: "c1", user: "u1" }, orphan: { cluster: "gone", user: "u1" }, ghost: { cluster: "c1", user: "nobody" } },
    current: "dev",
  });
  const load = (o: { context?: string; namespace?: string } = {}) => loadClusterConfig({ kubeconfig: file, env: {}, ...o });

  test("-n beats the context's namespace, which beats default", () => {
    expect(load().namespace).toBe("team-a");
    expect(load({ namespace: "ops" }).namespace).toBe("ops");
    expect(load({ context: "plain" }).namespace).toBe("default");
  });

  test("--context beats current-context; the server loses its trailing slash", () => {
    expect(load({ context: "plain" }).context).toBe("plain");
    expect(load().cluster.server).toBe("https://c1:6443");
  });

  test("an unknown context, or one naming a cluster or user that is not there: exit 2, one line", () => {
    expect(failure(() => load({ context: "prod" }))).toEqual({ code: 2, text: `error: context "prod" not found in kubeconfig ${file}` });
    expect(failure(() => load({ context: "orphan" })).text).toBe(`error: context "orphan" names cluster "gone", which kubeconfig ${file} does not define`);
    expect(failure(() => load({ context: "ghost" })).text).toBe(`error: context "ghost" names user "nobody", which kubeconfig ${file} does not define`);
  });

  test("no current-context and no --context: the contexts to choose from", () => {
    const f = writeKubeconfig(dir, "unset", { clusters: { c: { server: "https://c" } }, contexts: { x: { cluster: "c" }, y: { cluster: "c" } } });
    expect(failure(() => loadClusterConfig({ kubeconfig: f, env: {} }))).toEqual({ code: 2, text: `error: kubeconfig ${f} sets no current-context: choose one of "x", "y" with --context` });
  });
});

describe("files the kubeconfig names", () => {
  test("relative paths are relative to the kubeconfig's own directory; nothing is read while loading", () => {
    const dir = kubeDir();
    mkdirSync(join(dir, "sub"));
    const file = join(dir, "sub", "config");
    writeFileSync(
      file,
      [
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- name: c",
        "  cluster:",
        "    server: https://c:6443",
        "    certificate-authority: certs/ca.pem",
        "users:",
        "- name: u",
        "  user:",
        "    client-certificate: certs/me.pem",
        "    client-key: /abs/me.key",
        "    token-file: ../token",
        "    exec:",
        "      apiVersion: client.authentication.k8s.io/v1",
        "      command: ./bin/plugin",
        "- name: stale",
        "  user:",
        "    token-file: does-not-exist",
        "contexts:",
        "- name: x",
        "  context: {cluster: c, user: u}",
        "current-context: x",
        "",
      ].join("\n"),
    );
    const c = loadClusterConfig({ kubeconfig: file, env: {} });
    expect(c.cluster.caFile).toBe(join(dir, "sub", "certs", "ca.pem"));
    expect([c.user.certFile, c.user.keyFile, c.user.tokenFile, c.user.exec?.command]).toEqual([
      join(dir, "sub", "certs", "me.pem"),
      "/abs/me.key",
      join(dir, "token"),
      join(dir, "sub", "bin", "plugin"),
    ]);
  });

  test("invalid YAML and a name twice in one file: exit 2 naming the file", () => {
    const dir = kubeDir();
    const bad = join(dir, "bad");
    writeFileSync(bad, "clusters: [\n");
    expect(failure(() => loadClusterConfig({ kubeconfig: bad, env: {} }))).toMatchObject({ code: 2 });
    expect(failure(() => loadClusterConfig({ kubeconfig: bad, env: {} })).text).toStartWith(`error: kubeconfig ${bad}: invalid YAML`);
    const twice = writeKubeconfig(dir, "twice", { clusters: { c: { server: "https://c" } }, contexts: { x: { cluster: "c" } }, current: "x" });
    writeFileSync(twice, Bun.YAML.stringify({ clusters: [{ name: "c", cluster: { server: "https://1" } }, { name: "c", cluster: { server: "https://2" } }] }));
    expect(failure(() => loadClusterConfig({ kubeconfig: twice, env: {} })).text).toBe(`error: kubeconfig ${twice}: duplicate name "c" in clusters`);
  });
});

describe("nothing configured, and the home kubeconfig", () => {
  test("no KUBECONFIG, no ~/.kube/config, not in a pod: upstream's message, exit 3 (not found)", () => {
    expect(failure(() => loadClusterConfig({ env: { HOME: NO_HOME } }))).toEqual({ code: 3, text: `error: ${NO_CLUSTER_MESSAGE}` });
    // A KUBECONFIG naming only missing files is nothing configured too.
    expect(failure(() => loadClusterConfig({ env: { KUBECONFIG: "/nope/a:/nope/b", HOME: NO_HOME } })).code).toBe(3);
  });

  test("~/.kube/config when KUBECONFIG is unset; an empty one counts as none", () => {
    const home = kubeDir();
    mkdirSync(join(home, ".kube"));
    writeFileSync(join(home, ".kube", "config"), "");
    expect(failure(() => loadClusterConfig({ env: { HOME: home } })).code).toBe(3);
    writeKubeconfig(join(home, ".kube"), "config", { clusters: { h: { server: "https://home:6443" } }, contexts: { h: { cluster: "h" } }, current: "h" });
    expect(loadClusterConfig({ env: { HOME: home } }).cluster.server).toBe("https://home:6443");
  });
});

describe("in-cluster service account (LOGTAP_TEST_SERVICEACCOUNT_DIR stands for the mount)", () => {
  function serviceAccount(namespace?: string): string {
    const sa = kubeDir();
    writeFileSync(join(sa, "token"), "sa-token\n");
    writeFileSync(join(sa, "ca.crt"), "-----BEGIN CERTIFICATE-----\n");
    if (namespace) writeFileSync(join(sa, "namespace"), namespace);
    return sa;
  }

  test("used when no kubeconfig is found: server from the service env, CA and token files, the pod's namespace", () => {
    const sa = serviceAccount("payments");
    const c = loadClusterConfig({ env: { HOME: NO_HOME, KUBERNETES_SERVICE_HOST: "10.96.0.1", KUBERNETES_SERVICE_PORT: "443", LOGTAP_TEST_SERVICEACCOUNT_DIR: sa } });
    expect(c.source).toBe("in-cluster service account");
    expect(c.cluster.server).toBe("https://10.96.0.1:443");
    expect(c.cluster.caFile).toBe(join(sa, "ca.crt"));
    expect(c.user.tokenFile).toBe(join(sa, "token"));
    expect(c.namespace).toBe("payments");
  });

  test("-n and POD_NAMESPACE beat the namespace file; without any, default; IPv6 hosts are bracketed", () => {
    const sa = serviceAccount("payments");
    const env = { HOME: NO_HOME, KUBERNETES_SERVICE_HOST: "fd00::1", KUBERNETES_SERVICE_PORT: "6443", LOGTAP_TEST_SERVICEACCOUNT_DIR: sa };
    expect(loadClusterConfig({ env: { ...env, POD_NAMESPACE: "from-env" } }).namespace).toBe("from-env");
    expect(loadClusterConfig({ env, namespace: "flag" }).namespace).toBe("flag");
    expect(loadClusterConfig({ env }).cluster.server).toBe("https://[fd00::1]:6443");
    expect(loadClusterConfig({ env: { ...env, LOGTAP_TEST_SERVICEACCOUNT_DIR: serviceAccount() } }).namespace).toBe("default");
  });

  test("a kubeconfig wins over the service account; no service env or no token file: not in a pod", () => {
    const sa = serviceAccount("payments");
    const dir = kubeDir();
    const kc = writeKubeconfig(dir, "kc", { clusters: { k: { server: "https://k" } }, contexts: { k: { cluster: "k" } }, current: "k" });
    const pod = { KUBERNETES_SERVICE_HOST: "10.96.0.1", KUBERNETES_SERVICE_PORT: "443", LOGTAP_TEST_SERVICEACCOUNT_DIR: sa };
    expect(loadClusterConfig({ env: { ...pod, KUBECONFIG: kc } }).cluster.server).toBe("https://k");
    expect(failure(() => loadClusterConfig({ env: { HOME: NO_HOME, LOGTAP_TEST_SERVICEACCOUNT_DIR: sa } })).code).toBe(3);
    expect(failure(() => loadClusterConfig({ env: { ...pod, HOME: NO_HOME, LOGTAP_TEST_SERVICEACCOUNT_DIR: kubeDir() } })).code).toBe(3);
  });
});
