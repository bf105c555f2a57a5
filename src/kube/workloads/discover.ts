/**
 * Workload discovery for tap, untap, check and status: one workload by kind and name, the three kinds by label
 * selector, or every workload of a namespace. Objects are the raw JSON the API server returned (every field kept,
 * so they can be planned on and written back), with `apiVersion` and `kind` filled in: list items lack them.
 */

import type { Cluster } from "../connect.ts";
import type { Workload, WorkloadKind } from "../tap/workload.ts";
import { KINDS, kindInfo, workloadPath } from "./kinds.ts";
import { withContext } from "./wrap-error.ts";

interface WorkloadList {
  items?: Workload[];
}

function typed(w: Workload, kind: WorkloadKind): Workload {
  return { ...w, apiVersion: w.apiVersion ?? "apps/v1", kind: w.kind ?? kind };
}

/** One workload; fails with `get deployment <name>: <the server's message>` (404 keeps exit code 3). */
export async function getWorkload(cluster: Cluster, namespace: string, kind: WorkloadKind, name: string, signal?: AbortSignal): Promise<Workload> {
  try {
    const w = await cluster.request<Workload>({ path: workloadPath(namespace, kind, name), signal });
    return typed(w, kind);
  } catch (e) {
    throw withContext(`get ${kindInfo(kind).singular} ${name}`, e);
  }
}

/** Every workload of the three kinds in the namespace, optionally matching a label selector; Deployments first. */
export async function listWorkloads(cluster: Cluster, namespace: string, opts: { labelSelector?: string; signal?: AbortSignal } = {}): Promise<Workload[]> {
  // All three asked at once; when several fail, the first kind's error is reported, so the message does not
  // depend on which answer came first.
  const settled = await Promise.allSettled(
    KINDS.map(async (k) => {
      try {
        const list = await cluster.request<WorkloadList>({
          path: workloadPath(namespace, k.kind),
          query: { labelSelector: opts.labelSelector },
          signal: opts.signal,
        });
        return (list?.items ?? []).map((w) => typed(w, k.kind));
      } catch (e) {
        throw withContext(`list ${k.plural}`, e);
      }
    }),
  );
  const failed = settled.find((r) => r.status === "rejected");
  if (failed) throw failed.reason;
  return settled.flatMap((r) => (r.status === "fulfilled" ? r.value : []));
}
