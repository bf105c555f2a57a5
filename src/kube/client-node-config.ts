/**
 * The selected context as a client-node KubeConfig, for what our transport does not cover: client-node's
 * WebSocket features (port-forward, exec, attach) take TLS material from `applyToHTTPSOptions`, which Bun's `ws`
 * shim honours for PEM certificates. One cluster, one user, one context; a token file's current token.
 */

import { KubeConfig, type Cluster as KcCluster, type User as KcUser } from "@kubernetes/client-node";
import type { ClusterConfig } from "./kubeconfig/load.ts";
import { readReferencedFile } from "./transport/tls-material.ts";

export function toClientNodeConfig(c: ClusterConfig): KubeConfig {
  const cluster: KcCluster = {
    name: c.cluster.name,
    server: c.cluster.server,
    caData: c.cluster.caData,
    caFile: c.cluster.caFile,
    skipTLSVerify: c.cluster.insecureSkipTlsVerify,
    tlsServerName: c.cluster.tlsServerName,
    proxyUrl: c.cluster.proxyUrl,
  };
  const u = c.user;
  const user: KcUser = {
    name: u.name || "anonymous",
    certData: u.certData,
    certFile: u.certFile,
    keyData: u.keyData,
    keyFile: u.keyFile,
    token: u.token ?? (u.tokenFile ? readReferencedFile(u.tokenFile, `token-file of user "${u.name}"`).trim() : undefined),
    username: u.username,
    password: u.password,
    impersonateUser: u.impersonate,
    exec: u.exec && { ...u.exec, env: u.exec.env },
  };
  const kc = new KubeConfig();
  kc.loadFromOptions({ clusters: [cluster], users: [user], contexts: [{ name: c.context, cluster: cluster.name, user: user.name, namespace: c.namespace }], currentContext: c.context });
  return kc;
}
