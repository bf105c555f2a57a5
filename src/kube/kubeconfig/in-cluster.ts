/**
 * The in-cluster configuration of a pod's service account, used when no kubeconfig is found (client-go's
 * InClusterConfig): KUBERNETES_SERVICE_HOST/PORT, and the token, CA and namespace files the kubelet mounts.
 * LOGTAP_TEST_SERVICEACCOUNT_DIR (tests only) replaces the mount directory.
 */

import { existsSync, readFileSync } from "node:fs";
import { isIP } from "node:net";
import { join } from "node:path";
import { emptyKubeconfig, type Kubeconfig } from "./types.ts";

export const SERVICEACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";
export const IN_CLUSTER_CONTEXT = "in-cluster";

export interface InCluster {
  config: Kubeconfig;
  /** POD_NAMESPACE, else the service account's namespace file, else undefined. */
  namespace?: string;
}

export function serviceAccountDir(env: Record<string, string | undefined>): string {
  return env.LOGTAP_TEST_SERVICEACCOUNT_DIR || SERVICEACCOUNT_DIR;
}

/** undefined when not in a pod (no service host/port or no token), as client-go decides. */
export function inClusterConfig(env: Record<string, string | undefined>): InCluster | undefined {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  const dir = serviceAccountDir(env);
  const tokenFile = join(dir, "token");
  if (!host || !port || !existsSync(tokenFile)) return undefined;
  const config = emptyKubeconfig();
  config.files = [];
  const server = `https://${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
  const caFile = join(dir, "ca.crt");
  config.clusters.set(IN_CLUSTER_CONTEXT, { name: IN_CLUSTER_CONTEXT, server, caFile: existsSync(caFile) ? caFile : undefined, insecureSkipTlsVerify: false });
  // The projected token rotates: it is named by file and re-read (transport), never copied here.
  config.users.set(IN_CLUSTER_CONTEXT, { name: IN_CLUSTER_CONTEXT, tokenFile });
  config.contexts.set(IN_CLUSTER_CONTEXT, { name: IN_CLUSTER_CONTEXT, cluster: IN_CLUSTER_CONTEXT, user: IN_CLUSTER_CONTEXT });
  config.currentContext = IN_CLUSTER_CONTEXT;
  let namespace = env.POD_NAMESPACE || undefined;
  if (!namespace) {
    try {
      namespace = readFileSync(join(dir, "namespace"), "utf8").trim() || undefined;
    } catch {
      // No namespace file: the caller falls back to "default".
    }
  }
  return { config, namespace };
}
