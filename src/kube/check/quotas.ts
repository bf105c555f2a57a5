/**
 * ResourceQuotas on what a sidecar adds (§22.7 step 3): `requests.memory` and `requests.cpu` — or their short forms
 * `memory` and `cpu`, which a quota treats the same. Hard limits come from the quota's spec (there even before the
 * quota controller has filled in its status), usage from its status (`0` until counted).
 */

import type { Cluster } from "../connect.ts";

export interface QuotaInfo {
  name: string;
  mem_hard?: string;
  mem_used?: string;
  cpu_hard?: string;
  cpu_used?: string;
}

type ResourceMap = Record<string, string | undefined>;

interface QuotaList {
  items?: { metadata: { name: string }; spec?: { hard?: ResourceMap }; status?: { hard?: ResourceMap; used?: ResourceMap } }[];
}

function pick(map: ResourceMap | undefined, resource: "memory" | "cpu"): string | undefined {
  return map?.[`requests.${resource}`] ?? map?.[resource];
}

export async function listQuotas(cluster: Cluster, namespace: string, signal?: AbortSignal): Promise<QuotaInfo[]> {
  const list = await cluster.request<QuotaList>({ path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/resourcequotas`, signal });
  return (list?.items ?? []).map((q) => {
    const out: QuotaInfo = { name: q.metadata.name };
    for (const [resource, hardKey, usedKey] of [["memory", "mem_hard", "mem_used"], ["cpu", "cpu_hard", "cpu_used"]] as const) {
      const hard = pick(q.spec?.hard, resource) ?? pick(q.status?.hard, resource);
      if (hard === undefined) continue;
      out[hardKey] = hard;
      out[usedKey] = pick(q.status?.used, resource) ?? "0";
    }
    return out;
  });
}
