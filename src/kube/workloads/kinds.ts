/**
 * The three workload kinds tap, untap, check and status work on (§22.1): apps/v1 Deployment, StatefulSet and
 * DaemonSet, with the names the API paths, the flags and the messages use for each.
 */

import type { WorkloadKind } from "../tap/workload.ts";

export interface KindInfo {
  kind: WorkloadKind;
  /** The resource in API paths: `deployments`. */
  plural: string;
  /** As messages and flags name it: `deployment` (`get deployment web: …`, `--deployment`). */
  singular: string;
}

/** In the order every listing returns them (upstream's: deployments, then statefulsets, then daemonsets). */
export const KINDS: readonly KindInfo[] = [
  { kind: "Deployment", plural: "deployments", singular: "deployment" },
  { kind: "StatefulSet", plural: "statefulsets", singular: "statefulset" },
  { kind: "DaemonSet", plural: "daemonsets", singular: "daemonset" },
];

export function kindInfo(kind: WorkloadKind): KindInfo {
  return KINDS.find((k) => k.kind === kind)!;
}

/** `/apis/apps/v1/namespaces/<ns>/deployments[/<name>]`. */
export function workloadPath(namespace: string, kind: WorkloadKind, name?: string): string {
  const base = `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/${kindInfo(kind).plural}`;
  return name === undefined ? base : `${base}/${encodeURIComponent(name)}`;
}
