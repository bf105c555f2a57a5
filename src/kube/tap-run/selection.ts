/**
 * Which workloads a tap or untap run works on (§22.3 step 8, §22.5 "Targets"), with upstream's messages when there
 * are none. One difference for untap: a selector's untapped matches are passed over (upstream failed on the first
 * with `workload … is not tapped`), as are, with `--session`, those without that session.
 */

import { NotFoundError } from "../../common/errors.ts";
import type { Cluster } from "../connect.ts";
import type { Workload, WorkloadKind } from "../tap/workload.ts";
import { hasSession, isTapped, partitionByTapped } from "../workloads/classify.ts";
import { getWorkload, listWorkloads } from "../workloads/discover.ts";

export type Selection = { by: "name"; kind: WorkloadKind; name: string } | { by: "selector"; selector: string } | { by: "all" };

/** What the workload flags name, one selection a flag given: the caller says how many of them it takes. */
export function flaggedSelections(f: { deployment?: string; statefulset?: string; daemonset?: string; selector?: string }): Selection[] {
  const modes: Selection[] = [];
  if (f.deployment) modes.push({ by: "name", kind: "Deployment", name: f.deployment });
  if (f.statefulset) modes.push({ by: "name", kind: "StatefulSet", name: f.statefulset });
  if (f.daemonset) modes.push({ by: "name", kind: "DaemonSet", name: f.daemonset });
  if (f.selector) modes.push({ by: "selector", selector: f.selector });
  return modes;
}

export async function selectForTap(cluster: Cluster, namespace: string, s: Selection, signal?: AbortSignal): Promise<Workload[]> {
  if (s.by === "name") return [await getWorkload(cluster, namespace, s.kind, s.name, signal)];
  if (s.by === "selector") {
    const found = await listWorkloads(cluster, namespace, { labelSelector: s.selector, signal });
    if (found.length === 0) throw new NotFoundError(`no workloads found matching selector "${s.selector}"`);
    return found;
  }
  const { untapped } = partitionByTapped(await listWorkloads(cluster, namespace, { signal }));
  if (untapped.length === 0) throw new NotFoundError(`no untapped workloads found in namespace "${namespace}"`);
  return untapped;
}

/** `session` is a session id, or "all". A workload named by the user is returned tapped or not (planUntap says which). */
export async function selectForUntap(cluster: Cluster, namespace: string, s: Selection, session: string, signal?: AbortSignal): Promise<Workload[]> {
  let found: Workload[];
  if (s.by === "name") found = [await getWorkload(cluster, namespace, s.kind, s.name, signal)];
  else {
    const listed = await listWorkloads(cluster, namespace, { labelSelector: s.by === "selector" ? s.selector : undefined, signal });
    found = listed.filter((w) => (session === "all" ? isTapped(w) : hasSession(w, session)));
  }
  if (found.length === 0) throw new NotFoundError("no tapped workloads found");
  return found;
}
