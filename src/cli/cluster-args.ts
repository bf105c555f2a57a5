/**
 * The flags every cluster command shares — `-n/--namespace`, `--kubeconfig`, `--context` — and the connection they
 * make, with the global `--timeout` (§1.3: the flag, else `defaults.timeout` / `LOGTAP_TIMEOUT` through the config
 * layer, else 30 s) bounding each request. Connecting sends nothing; the first request reads the kubeconfig's files.
 */

import { parseDurationFlag } from "../common/values/duration.ts";
import { connectCluster, DEFAULT_TIMEOUT_MS, type Cluster } from "../kube/connect.ts";
import { withContext } from "../kube/workloads/wrap-error.ts";

export const clusterArgs = {
  namespace: { type: "string", alias: "n", description: "namespace (defaults to the kubeconfig context's)" },
  kubeconfig: { type: "string", description: "kubeconfig file (instead of KUBECONFIG or ~/.kube/config)" },
  context: { type: "string", description: "kubeconfig context (instead of its current-context)" },
} as const;

export interface ClusterFlagValues {
  namespace?: string;
  kubeconfig?: string;
  context?: string;
  timeout?: string;
}

/** `--timeout` in milliseconds (30 s when neither the flag nor the config sets it; 0 = no limit). */
export function clusterTimeoutMs(args: ClusterFlagValues): number {
  return args.timeout === undefined || args.timeout === "" ? DEFAULT_TIMEOUT_MS : parseDurationFlag("timeout", args.timeout);
}

/** The cluster of the flags; a kubeconfig that cannot be used fails as `connect to cluster: …` (§22.1). */
export function connectFromArgs(args: ClusterFlagValues, opts: { signal?: AbortSignal } = {}): Cluster {
  try {
    return connectCluster({
      kubeconfig: args.kubeconfig || undefined,
      context: args.context || undefined,
      namespace: args.namespace || undefined,
      timeoutMs: clusterTimeoutMs(args),
      signal: opts.signal,
      onExecStderr: (text) => process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
    });
  } catch (e) {
    throw withContext("connect to cluster", e);
  }
}
