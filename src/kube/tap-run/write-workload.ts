/**
 * One workload tapped or untapped on the cluster: read, plan on what was read, write back with the version read as
 * precondition; on 409 (someone wrote in between) read again and plan again (readModifyWrite: 5 tries). The plan
 * is always made on the latest read, never on an older copy, so nobody's change is overwritten.
 */

import type { Cluster } from "../connect.ts";
import { isNotFound } from "../errors/kube-error.ts";
import { planTap, type TapOptions, type TapPlan } from "../tap/plan-tap.ts";
import { planUntap, type UntapPlan } from "../tap/plan-untap.ts";
import type { Workload, WorkloadKind } from "../tap/workload.ts";
import { workloadPath } from "../workloads/kinds.ts";

export interface Written<P> {
  plan: P;
  /** The workload as the server stored it (its generation is the one the rollout must reach). */
  stored: Workload;
  attempts: number;
}

function pathOf(w: Workload): string {
  return workloadPath(w.metadata.namespace!, w.kind as WorkloadKind, w.metadata.name);
}

/** The kind a single GET returns anyway; kept from the listing in case a server leaves it out. */
function typed(current: Workload, like: Workload): Workload {
  return { ...current, kind: current.kind ?? like.kind, apiVersion: current.apiVersion ?? like.apiVersion };
}

export async function writeTap(cluster: Cluster, w: Workload, opts: TapOptions, signal?: AbortSignal): Promise<Written<TapPlan>> {
  let plan!: TapPlan;
  const r = await cluster.readModifyWrite<Workload>(
    pathOf(w),
    (current) => {
      plan = planTap(typed(current, w), opts);
      return plan.workload;
    },
    { signal },
  );
  return { plan, stored: r.object, attempts: r.attempts };
}

export async function writeUntap(cluster: Cluster, w: Workload, session: string, signal?: AbortSignal): Promise<Written<UntapPlan>> {
  let plan!: UntapPlan;
  const r = await cluster.readModifyWrite<Workload>(
    pathOf(w),
    (current) => {
      plan = planUntap(typed(current, w), session);
      return plan.workload;
    },
    { signal },
  );
  return { plan, stored: r.object, attempts: r.attempts };
}

/** Deletes ConfigMaps a session used (the Fluent Bit config); already gone is fine. Returns warning lines. */
export async function deleteConfigMaps(cluster: Cluster, namespace: string, names: readonly string[], signal?: AbortSignal): Promise<string[]> {
  const warnings: string[] = [];
  for (const name of names) {
    try {
      await cluster.request({ method: "DELETE", path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/configmaps/${encodeURIComponent(name)}`, signal });
    } catch (e) {
      if (!isNotFound(e)) warnings.push(`Warning: could not delete ConfigMap ${name}: ${(e as Error).message}`);
    }
  }
  return warnings;
}
