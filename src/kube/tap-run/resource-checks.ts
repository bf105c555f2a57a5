/**
 * §22.3 step 11, the resource pre-checks (warnings only; `--force` skips them): would the sidecars overrun a
 * ResourceQuota, exceed a LimitRange's container maximum, or land on nodes under memory or disk pressure? Each
 * check that cannot be made (not allowed to list quotas, say) is its own warning and the others still run.
 * Upstream checked requests only; a sidecar's limit (twice its request) counts against `limits.*` quotas and is
 * what a LimitRange's `max` refuses, so those are checked too.
 */

import type { Cluster } from "../connect.ts";
import { asFraction, doubleQuantity, parseQuantity } from "../tap/quantity.ts";
import type { Workload } from "../tap/workload.ts";
import { replicasOf } from "../workloads/classify.ts";
import { withContext } from "../workloads/wrap-error.ts";

type ResourceMap = Record<string, string>;

interface Quota {
  metadata: { name: string };
  spec?: { hard?: ResourceMap };
  status?: { hard?: ResourceMap; used?: ResourceMap };
}

interface LimitRange {
  metadata: { name: string };
  spec?: { limits?: { type?: string; max?: ResourceMap }[] };
}

interface Node {
  metadata: { name: string };
  status?: { conditions?: { type?: string; status?: string }[] };
}

export interface SidecarResources {
  memory: string;
  cpu: string;
}

type Fraction = { num: bigint; den: bigint };

function fraction(text: string): Fraction | null {
  const q = parseQuantity(text);
  return q === null ? null : asFraction(q);
}

/** a + b × n, exactly. */
function plus(a: Fraction, b: Fraction, n: number): Fraction {
  return { num: a.num * b.den + BigInt(n) * b.num * a.den, den: a.den * b.den };
}

const greater = (a: Fraction, b: Fraction): boolean => a.num * b.den > b.num * a.den;

/** used + each × n > limit; false when any of them is not a quantity (nothing sure to say then). */
function exceeds(used: string, each: string, n: number, limit: string): boolean {
  const [u, e, l] = [used, each, limit].map(fraction);
  return u !== null && e !== null && l !== null && greater(plus(u, e, n), l);
}

function above(value: string, max: string): boolean {
  const [v, m] = [fraction(value), fraction(max)];
  return v !== null && m !== null && greater(v, m);
}

function quotaWarnings(quotas: Quota[], w: Workload, r: SidecarResources): string[] {
  const n = replicasOf(w);
  const out: string[] = [];
  const checks = [
    { what: "memory", keys: ["requests.memory", "memory"], each: r.memory, label: "sidecar" },
    { what: "cpu", keys: ["requests.cpu", "cpu"], each: r.cpu, label: "sidecar" },
    { what: "memory limit", keys: ["limits.memory"], each: doubleQuantity(r.memory), label: "sidecar limit" },
    { what: "cpu limit", keys: ["limits.cpu"], each: doubleQuantity(r.cpu), label: "sidecar limit" },
  ];
  for (const q of quotas) {
    const hard = q.status?.hard ?? q.spec?.hard ?? {};
    for (const c of checks) {
      const key = c.keys.find((k) => hard[k] !== undefined);
      if (key === undefined) continue;
      const used = q.status?.used?.[key] ?? "0";
      if (exceeds(used, c.each, n, hard[key]!)) {
        out.push(`Warning [quota]: ${c.what} quota "${q.metadata.name}": used ${used} + ${c.label} ${c.each} × ${n} replicas exceeds hard limit ${hard[key]}`);
      }
    }
  }
  return out;
}

function limitRangeWarnings(ranges: LimitRange[], r: SidecarResources): string[] {
  const out: string[] = [];
  for (const lr of ranges) {
    for (const item of lr.spec?.limits ?? []) {
      if (item.type !== "Container") continue;
      for (const [what, key, request] of [["memory", "memory", r.memory], ["cpu", "cpu", r.cpu]] as const) {
        const max = item.max?.[key];
        if (max === undefined) continue;
        if (above(request, max)) out.push(`Warning [limitrange]: limitrange "${lr.metadata.name}": sidecar ${what} ${request} exceeds container max ${max}`);
        else if (above(doubleQuantity(request), max)) {
          out.push(`Warning [limitrange]: limitrange "${lr.metadata.name}": sidecar ${what} limit ${doubleQuantity(request)} exceeds container max ${max}`);
        }
      }
    }
  }
  return out;
}

function nodeWarnings(nodes: Node[]): string[] {
  const out: string[] = [];
  for (const node of nodes) {
    for (const c of node.status?.conditions ?? []) {
      if (c.status !== "True") continue;
      if (c.type === "MemoryPressure") out.push(`Warning [capacity]: node ${node.metadata.name}: memory pressure detected`);
      if (c.type === "DiskPressure") out.push(`Warning [capacity]: node ${node.metadata.name}: disk pressure detected`);
    }
  }
  return out;
}

async function list<T>(cluster: Cluster, path: string, what: string, signal?: AbortSignal): Promise<T[]> {
  try {
    return (await cluster.request<{ items?: T[] }>({ path, signal }))?.items ?? [];
  } catch (e) {
    throw withContext(`list ${what}`, e);
  }
}

/** Every warning line for the workloads about to be tapped (stderr lines, in upstream's wording). */
export async function resourceWarnings(cluster: Cluster, namespace: string, workloads: readonly Workload[], r: SidecarResources, signal?: AbortSignal): Promise<string[]> {
  const ns = `/api/v1/namespaces/${encodeURIComponent(namespace)}`;
  const failed = (e: unknown) => [`Warning: resource check failed: ${(e as Error).message}`];
  const [quota, limits, nodes] = await Promise.all([
    list<Quota>(cluster, `${ns}/resourcequotas`, "resourcequotas", signal).then((qs) => workloads.flatMap((w) => quotaWarnings(qs, w, r)), failed),
    list<LimitRange>(cluster, `${ns}/limitranges`, "limitranges", signal).then((ls) => limitRangeWarnings(ls, r), failed),
    list<Node>(cluster, "/api/v1/nodes", "nodes", signal).then(nodeWarnings, failed),
  ]);
  return [...quota, ...limits, ...nodes];
}
