/**
 * `logtap check` (§22.7): cluster version, RBAC (upstream's nine checks and what each command lacks), quotas,
 * leftovers and candidates. A step that fails is reported in place and its part of the report left out, as
 * upstream did; what makes every other step fail too — the API server unreachable, credentials refused, the
 * namespace missing — ends the command with that error instead.
 */

import type { Cluster } from "../connect.ts";
import { KubeApiError, KubeError } from "../errors/kube-error.ts";
import { listWorkloads } from "../workloads/discover.ts";
import { partitionByTapped } from "../workloads/classify.ts";
import { reviewAll } from "./access-review.ts";
import { allCommandPermissions, commandAccess, type PermissionsByCommand } from "./command-access.ts";
import { findLeftovers, leftoverCount, sidecarTargets, type Leftovers } from "./leftovers.ts";
import { permissionKey } from "./permissions.ts";
import { requireNamespace } from "./namespace-exists.ts";
import { listQuotas, type QuotaInfo } from "./quotas.ts";
import { probeReceiver, type ReceiverProbe } from "../receiver-probe.ts";
import { listReceiverPods } from "./receiver-pods.ts";
import { UPSTREAM_RBAC_CHECKS, type RbacCheck } from "./upstream-rbac.ts";
import { workloadRefOf, type WorkloadRef } from "./workload-ref.ts";

/** A step's result, or why it failed (the one-line message). */
export type Step<T> = { ok: true; value: T } | { ok: false; error: string };

export interface CheckReport {
  namespace: string;
  cluster: Step<{ version: string; namespace: string }>;
  rbac: Step<{ upstream: RbacCheck[]; commands: PermissionsByCommand }>;
  quotas: Step<QuotaInfo[]>;
  orphans: Step<Leftovers>;
  candidates: Step<WorkloadRef[]>;
}

export async function runCheck(cluster: Cluster, opts: { now?: number; signal?: AbortSignal } = {}): Promise<CheckReport> {
  const ns = cluster.namespace;
  const { signal } = opts;
  const clusterStep = await step(async () => ({ version: (await cluster.serverVersion(signal)).gitVersion, namespace: ns }));
  await requireNamespace(cluster, ns, signal);
  const [rbac, quotas, workloads, receivers] = await Promise.all([
    step(async () => {
      const answers = await reviewAll(cluster, ns, [...UPSTREAM_RBAC_CHECKS, ...allCommandPermissions()], signal);
      const upstream = UPSTREAM_RBAC_CHECKS.map((p) => ({ check: { resource: p.resource, verb: p.verb, group: p.group }, allowed: answers.get(permissionKey(p)) === true }));
      return { upstream, commands: commandAccess(answers) };
    }),
    step(() => listQuotas(cluster, ns, signal)),
    step(async () => partitionByTapped(await listWorkloads(cluster, ns, { signal }))),
    step(() => listReceiverPods(cluster, ns, opts.now ?? Date.now(), signal)),
  ]);
  let orphans: Step<Leftovers>;
  if (!workloads.ok) orphans = workloads;
  else if (!receivers.ok) orphans = receivers;
  else {
    const probes = await probeAll(sidecarTargets(workloads.value.tapped));
    orphans = { ok: true, value: findLeftovers(workloads.value.tapped, ns, probes, receivers.value) };
  }
  const candidates: Step<WorkloadRef[]> = workloads.ok ? { ok: true, value: workloads.value.untapped.map((w) => workloadRefOf(w, ns)) } : workloads;
  return { namespace: ns, cluster: clusterStep, rbac, quotas, orphans, candidates };
}

/** What check found wrong, one phrase each; empty = exit 0. */
export function problems(r: CheckReport): string[] {
  const out: string[] = [];
  if (r.rbac.ok) {
    const failing = Object.entries(r.rbac.value.commands).filter(([, a]) => !a.ok).map(([c]) => c);
    if (failing.length > 0) out.push(`missing permissions for ${failing.join(", ")}`);
  }
  if (r.orphans.ok && leftoverCount(r.orphans.value) > 0) out.push(`${leftoverCount(r.orphans.value)} leftover(s)`);
  const failed = (["cluster", "rbac", "quotas", "orphans"] as const).filter((k) => !r[k].ok);
  if (failed.length > 0) out.push(`could not check ${failed.map((k) => (k === "orphans" ? "leftovers" : k)).join(", ")}`);
  return out;
}

/**
 * Errors that would fail every step end the command: no answer from the API server (exit 5), credentials refused
 * (4). A refusal of one request (403) is a finding of this step, not the end.
 */
function fatal(e: unknown): boolean {
  if (e instanceof KubeApiError) return e.status === 401;
  return e instanceof KubeError;
}

async function step<T>(run: () => Promise<T>): Promise<Step<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (e) {
    if (fatal(e)) throw e;
    return { ok: false, error: (e as Error).message ?? String(e) };
  }
}

async function probeAll(targets: string[]): Promise<Map<string, ReceiverProbe>> {
  return new Map(await Promise.all(targets.map(async (t) => [t, await probeReceiver(t)] as const)));
}
