/**
 * Loading as kubectl does: the kubeconfig files (locate.ts) merged first-wins (merge.ts), else the pod's service
 * account; then the context (--context, else current-context), its cluster and user, and the namespace
 * (-n, else the context's, else "default").
 */

import { KubeError } from "../errors/kube-error.ts";
import { inClusterConfig } from "./in-cluster.ts";
import { locateKubeconfigs } from "./locate.ts";
import { mergeKubeconfigs } from "./merge.ts";
import { readKubeconfigFile } from "./read-file.ts";
import type { KubeCluster, KubeUser } from "./types.ts";

/** Upstream's message (§22.1), word for word. */
export const NO_CLUSTER_MESSAGE = "no Kubernetes cluster configured — set KUBECONFIG or ensure ~/.kube/config exists";

export interface LoadOptions {
  /** --kubeconfig: this file only. */
  kubeconfig?: string;
  /** --context */
  context?: string;
  /** -n/--namespace */
  namespace?: string;
  /** The environment to read KUBECONFIG, HOME and the in-cluster variables from; defaults to process.env. */
  env?: Record<string, string | undefined>;
  home?: string;
}

export interface ClusterConfig {
  /** Where it came from, for messages: the kubeconfig files, or "in-cluster service account". */
  source: string;
  context: string;
  cluster: KubeCluster;
  /** name "" when the context names no user (anonymous). */
  user: KubeUser;
  namespace: string;
}

export function loadClusterConfig(opts: LoadOptions = {}): ClusterConfig {
  const env = opts.env ?? process.env;
  const located = locateKubeconfigs({ kubeconfig: opts.kubeconfig, env, home: opts.home });
  let config = mergeKubeconfigs(located.files.map(readKubeconfigFile));
  let source = config.files.join(", ");
  let fallbackNamespace: string | undefined;
  // An empty kubeconfig counts as none, as in kubectl; an explicit --kubeconfig never falls back.
  if (config.contexts.size === 0 && config.clusters.size === 0 && !located.explicit && opts.context === undefined) {
    const pod = inClusterConfig(env);
    if (pod) {
      config = pod.config;
      source = "in-cluster service account";
      fallbackNamespace = pod.namespace;
    }
  }
  if (config.contexts.size === 0) {
    if (opts.context !== undefined && config.files.length > 0) throw new KubeError(`context "${opts.context}" not found in kubeconfig ${source}`, "config");
    throw new KubeError(NO_CLUSTER_MESSAGE, "no-cluster");
  }
  const name = opts.context ?? config.currentContext;
  if (name === undefined) {
    throw new KubeError(`kubeconfig ${source} sets no current-context: choose one of ${[...config.contexts.keys()].map((c) => `"${c}"`).join(", ")} with --context`, "config");
  }
  const ctx = config.contexts.get(name);
  if (!ctx) throw new KubeError(`context "${name}" not found in kubeconfig ${source}`, "config");
  const cluster = config.clusters.get(ctx.cluster);
  if (!cluster) throw new KubeError(`context "${name}" names cluster "${ctx.cluster}", which kubeconfig ${source} does not define`, "config");
  if (!cluster.server) throw new KubeError(`cluster "${cluster.name}" in kubeconfig ${source} has no server`, "config");
  let user: KubeUser = { name: "" };
  if (ctx.user) {
    const u = config.users.get(ctx.user);
    if (!u) throw new KubeError(`context "${name}" names user "${ctx.user}", which kubeconfig ${source} does not define`, "config");
    user = u;
  }
  return { source, context: name, cluster, user, namespace: opts.namespace || ctx.namespace || fallbackNamespace || "default" };
}
