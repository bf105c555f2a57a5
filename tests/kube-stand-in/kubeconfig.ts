/**
 * Kubeconfig files for the stand-in, as a cluster's admin would hand them out: the cluster's CA inline, the
 * identity as an inline client certificate (or a bearer token), one context with its namespace, current-context set.
 */

import { writeFileSync } from "node:fs";

export interface KubeconfigCredentials {
  /** Client certificate and key (PEM), or a bearer token. */
  cert?: string;
  key?: string;
  token?: string;
}

export interface KubeconfigOptions extends KubeconfigCredentials {
  server: string;
  caCert: string;
  /** The kubeconfig's user entry name (the identity's user name is in the certificate or token). */
  userName: string;
  namespace?: string;
  /** Context and cluster name; "stand-in" by default. */
  contextName?: string;
}

const b64 = (s: string) => Buffer.from(s).toString("base64");

/** The kubeconfig as YAML text. */
export function kubeconfigText(o: KubeconfigOptions): string {
  const context = o.contextName ?? "stand-in";
  const user: string[] = [];
  if (o.cert && o.key) user.push(`    client-certificate-data: ${b64(o.cert)}`, `    client-key-data: ${b64(o.key)}`);
  if (o.token) user.push(`    token: ${JSON.stringify(o.token)}`);
  if (!user.length) user.push("    {}");
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    `- name: ${JSON.stringify(context)}`,
    "  cluster:",
    `    server: ${o.server}`,
    `    certificate-authority-data: ${b64(o.caCert)}`,
    "users:",
    `- name: ${JSON.stringify(o.userName)}`,
    "  user:",
    ...user,
    "contexts:",
    `- name: ${JSON.stringify(context)}`,
    "  context:",
    `    cluster: ${JSON.stringify(context)}`,
    `    user: ${JSON.stringify(o.userName)}`,
    `    namespace: ${JSON.stringify(o.namespace ?? "default")}`,
    `current-context: ${JSON.stringify(context)}`,
    "preferences: {}",
    "",
  ].join("\n");
}

export function writeKubeconfig(path: string, o: KubeconfigOptions): string {
  writeFileSync(path, kubeconfigText(o), { mode: 0o600 });
  return path;
}
