/**
 * `--sidecar-mode auto|native|container`. `native` runs the forwarder as a Kubernetes native sidecar (an init
 * container with `restartPolicy: Always`): it starts before the app containers and is stopped after them, so it
 * sees the app's last lines without a preStop delay. Native sidecars are on by default from 1.29 (beta; alpha
 * behind a gate in 1.28, stable in 1.33) — and both sides must know them: an older API server drops
 * `restartPolicy` from init containers (the forwarder would then block the pod as a never-ending init
 * container), and an older kubelet does not run it as a sidecar. So `auto` picks `native` only when the API
 * server and every node's kubelet are 1.29 or newer.
 */

export const SIDECAR_MODES = ["auto", "native", "container"] as const;
export type SidecarModeFlag = (typeof SIDECAR_MODES)[number];
export type SidecarMode = Exclude<SidecarModeFlag, "auto">;

export const NATIVE_SIDECAR_MIN_MINOR = 29;

/** `/version`'s answer (major, minor, gitVersion), or just a gitVersion-like string. */
export type ServerVersion = string | { major?: string; minor?: string; gitVersion?: string };

/**
 * `[major, minor]` from `v1.29.3`, `v1.30.1-eks-1234`, `1.29.0-gke.1`, or `/version`'s `{major:"1", minor:"29+"}`
 * (EKS and GKE append `+`); null when it cannot be read.
 */
export function parseKubeVersion(v: ServerVersion | undefined | null): [number, number] | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== "string") {
    const fromGit = v.gitVersion === undefined ? null : parseKubeVersion(v.gitVersion);
    if (fromGit !== null) return fromGit;
    const major = /^\d+/.exec(v.major ?? "");
    const minor = /^\d+/.exec(v.minor ?? "");
    return major && minor ? [Number(major[0]), Number(minor[0])] : null;
  }
  const m = /^v?(\d+)\.(\d+)(?:[.+\-]|$)/.exec(v.trim());
  return m === null ? null : [Number(m[1]), Number(m[2])];
}

function supportsNative(v: [number, number] | null): boolean {
  return v !== null && (v[0] > 1 || (v[0] === 1 && v[1] >= NATIVE_SIDECAR_MIN_MINOR));
}

export interface ResolvedSidecarMode {
  mode: SidecarMode;
  /** Why: shown by `--dry-run` and `check`. */
  reason: string;
}

/**
 * What `auto` means on this cluster. `kubeletVersions` are the nodes' `status.nodeInfo.kubeletVersion`; pass null
 * when the nodes could not be listed. Unknown versions (and a cluster with no nodes to judge) choose `container`,
 * which works everywhere.
 */
export function resolveSidecarMode(serverVersion: ServerVersion | null | undefined, kubeletVersions: readonly string[] | null): ResolvedSidecarMode {
  const server = parseKubeVersion(serverVersion);
  if (server === null) return { mode: "container", reason: "API server version unknown" };
  if (!supportsNative(server)) return { mode: "container", reason: `API server ${server.join(".")} is older than 1.${NATIVE_SIDECAR_MIN_MINOR}` };
  if (kubeletVersions === null) return { mode: "container", reason: "node kubelet versions unknown (cannot list nodes)" };
  if (kubeletVersions.length === 0) return { mode: "container", reason: "no nodes to check kubelet versions on" };
  const old = kubeletVersions.filter((k) => !supportsNative(parseKubeVersion(k)));
  if (old.length > 0) return { mode: "container", reason: `kubelet ${old[0]} is older than 1.${NATIVE_SIDECAR_MIN_MINOR} (or unreadable)` };
  return { mode: "native", reason: `API server and all ${kubeletVersions.length} kubelet(s) are 1.${NATIVE_SIDECAR_MIN_MINOR} or newer` };
}

/** The `--sidecar-mode` flag check, before any cluster call. */
export function sidecarModeProblem(text: string): string | null {
  return (SIDECAR_MODES as readonly string[]).includes(text) ? null : `--sidecar-mode must be "auto", "native" or "container"`;
}
