/**
 * What goes once nothing needs it any more, decided from one listing after untap's or a rollback's writes: the
 * Fluent Bit ConfigMaps of the sessions taken out (the workloads of one session share one, so it stays while any pod
 * template still mounts it), and the forwarder Role and RoleBinding (they stay while anything in the namespace is
 * tapped, §22.5).
 */

import type { Cluster } from "../connect.ts";
import type { Workload } from "../tap/workload.ts";
import { isTapped } from "../workloads/classify.ts";
import { listWorkloads } from "../workloads/discover.ts";
import { removeForwarderRbac } from "./forwarder-rbac.ts";
import { deleteConfigMaps } from "./write-workload.ts";

export interface Cleanup {
  warnings: string[];
  rbacRemoved: boolean;
}

function mountedConfigMaps(w: Workload): string[] {
  return (w.spec.template.spec.volumes ?? []).map((v) => (v.configMap as { name?: string } | undefined)?.name).filter((n): n is string => n !== undefined);
}

export async function cleanUp(cluster: Cluster, namespace: string, configMaps: readonly string[], signal: AbortSignal): Promise<Cleanup> {
  let remaining: Workload[];
  try {
    remaining = await listWorkloads(cluster, namespace, { signal });
  } catch (e) {
    return { warnings: [`Warning: could not clean up forwarder RBAC: ${(e as Error).message}`], rbacRemoved: false };
  }
  const mounted = new Set(remaining.flatMap(mountedConfigMaps));
  const warnings = await deleteConfigMaps(cluster, namespace, [...new Set(configMaps)].filter((n) => !mounted.has(n)), signal);
  if (remaining.some(isTapped)) return { warnings, rbacRemoved: false };
  const failed = await removeForwarderRbac(cluster, namespace, signal);
  return failed === null ? { warnings, rbacRemoved: true } : { warnings: [...warnings, failed], rbacRemoved: false };
}
