/**
 * One workload tapped or untapped on the cluster: read, plan on what was read, write back with the version read as
 * precondition; on 409 (someone wrote in between) read again and plan again (readModifyWrite: 5 tries). The plan
 * is always made on the latest read, never on an older copy, so nobody's change is overwritten.
 */

import { CliError, EXIT } from "../../common/errors.ts";
import type { Cluster } from "../connect.ts";
import { isNotFound } from "../errors/kube-error.ts";
import { planTap, type TapOptions, type TapPlan } from "../tap/plan-tap.ts";
import { planUntap, type UntapPlan } from "../tap/plan-untap.ts";
import { TapError, workloadRef, type Workload, type WorkloadKind } from "../tap/workload.ts";
import { workloadPath } from "../workloads/kinds.ts";
import { withContext } from "../workloads/wrap-error.ts";

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

async function writePlanned<P extends { workload: Workload }>(cluster: Cluster, w: Workload, planOn: (current: Workload) => P, signal?: AbortSignal): Promise<Written<P>> {
  let plan!: P;
  const r = await cluster.readModifyWrite<Workload>(
    pathOf(w),
    (current) => {
      plan = planOn(typed(current, w));
      return plan.workload;
    },
    { signal },
  );
  return { plan, stored: r.object, attempts: r.attempts };
}

export function writeTap(cluster: Cluster, w: Workload, opts: TapOptions, signal?: AbortSignal): Promise<Written<TapPlan>> {
  return writePlanned(cluster, w, (current) => planTap(current, opts), signal);
}

export function writeUntap(cluster: Cluster, w: Workload, session: string, signal?: AbortSignal): Promise<Written<UntapPlan>> {
  return writePlanned(cluster, w, (current) => planUntap(current, session), signal);
}

/** A plan's refusal or a failed write of `w`, prefixed with what was being done to it (`inject Deployment/web: …`). */
export function workloadError(doing: "inject" | "untap", w: Workload, e: unknown): unknown {
  const prefix = `${doing} ${workloadRef(w)}`;
  if (e instanceof TapError) return new CliError(`${prefix}: ${e.message}`, EXIT.internal);
  return withContext(prefix, e);
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
