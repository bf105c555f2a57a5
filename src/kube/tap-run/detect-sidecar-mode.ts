/**
 * `--sidecar-mode auto` on this cluster: the API server's `/version` and every node's kubelet version go to
 * resolveSidecarMode. A user who may not list nodes gets `container` (it works everywhere) with the reason saying
 * so. An explicit `native` is checked the same way, so a cluster that would break it gets a warning.
 */

import type { Cluster } from "../connect.ts";
import { resolveSidecarMode, type ResolvedSidecarMode, type SidecarModeFlag } from "../tap/sidecar-mode.ts";

async function kubeletVersions(cluster: Cluster, signal?: AbortSignal): Promise<string[] | null> {
  try {
    const nodes = await cluster.request<{ items?: { status?: { nodeInfo?: { kubeletVersion?: string } } }[] }>({ path: "/api/v1/nodes", signal });
    return (nodes?.items ?? []).map((n) => n.status?.nodeInfo?.kubeletVersion ?? "");
  } catch {
    return null;
  }
}

export interface SidecarModeChoice extends ResolvedSidecarMode {
  /** A warning line when the mode asked for is not supported here. */
  warning: string | null;
}

export async function chooseSidecarMode(cluster: Cluster, flag: SidecarModeFlag, signal?: AbortSignal): Promise<SidecarModeChoice> {
  if (flag === "container") return { mode: "container", reason: "--sidecar-mode container", warning: null };
  const [version, kubelets] = await Promise.all([cluster.serverVersion(signal).catch(() => null), kubeletVersions(cluster, signal)]);
  const resolved = resolveSidecarMode(version, kubelets);
  if (flag === "auto") return { ...resolved, warning: null };
  const warning = resolved.mode === "native" ? null : `Warning: --sidecar-mode native, but ${resolved.reason}: the sidecar may not run as a native sidecar`;
  return { mode: "native", reason: "--sidecar-mode native", warning };
}
