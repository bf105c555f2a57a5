/**
 * The kinds `--follow kind/name` resolves to a pod selector, and where each is read. One table for both the GET
 * resolve-scopes.ts makes and the permission check probes for it (follow-permissions.ts), so the two cannot drift.
 */

import { KINDS } from "../workloads/kinds.ts";
import type { TargetKind } from "./follow-target.ts";

export interface FollowedWorkload {
  /** API group: `apps`, `batch`. */
  group: string;
  /** The resource in API paths: `deployments`. */
  plural: string;
  /** As `--follow` and messages name it: `deployment` (`get deployment api: …`). */
  singular: string;
}

export const FOLLOWED_WORKLOADS: Record<Exclude<TargetKind, "Pod">, FollowedWorkload> = {
  ...(Object.fromEntries(KINDS.map((k) => [k.kind, { group: "apps", plural: k.plural, singular: k.singular }])) as Record<(typeof KINDS)[number]["kind"], FollowedWorkload>),
  Job: { group: "batch", plural: "jobs", singular: "job" },
};

/** `/apis/<group>/v1/namespaces/<ns>/<plural>/<name>`: every followed kind is in a v1 group. */
export function followedWorkloadPath(w: FollowedWorkload, namespace: string, name: string): string {
  return `/apis/${w.group}/v1/namespaces/${encodeURIComponent(namespace)}/${w.plural}/${encodeURIComponent(name)}`;
}
