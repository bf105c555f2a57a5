/**
 * A `logtap untap` run (§22.5): each selected workload has the session (or every session, `--all`) taken out by a
 * conditional read-modify-write that plans on the latest read; then the Fluent Bit ConfigMaps no template mounts any
 * more are deleted, and the forwarder RBAC once nothing in the namespace is tapped (cleanup.ts). The first error ends the run
 * (`untap <Kind>/<name>: …`); what was untapped before it stays untapped.
 */

import type { Cluster } from "../connect.ts";
import { untapDiff } from "../tap/dry-run.ts";
import { planUntap, type UntapPlan } from "../tap/plan-untap.ts";
import { workloadRef } from "../tap/workload.ts";
import { phaseSignal } from "./deadline.ts";
import { cleanUp } from "./cleanup.ts";
import type { RunOutput } from "./output.ts";
import { selectForUntap, type Selection } from "./selection.ts";
import { workloadError, writeUntap } from "./write-workload.ts";

export interface UntapRequest {
  namespace: string;
  selection: Selection;
  /** A session id, or "all". */
  session: string;
  dryRun: boolean;
  timeoutMs: number;
  interrupt?: AbortSignal;
}

export interface UntappedWorkload {
  plan: UntapPlan;
  attempts: number;
}

export interface UntapResult {
  dryRun: boolean;
  namespace: string;
  workloads: UntappedWorkload[];
  sessionsRemoved: number;
  /** Whether the forwarder Role and RoleBinding were removed (nothing tapped is left). */
  rbacRemoved: boolean;
  warnings: string[];
}

export async function runUntap(cluster: Cluster, req: UntapRequest, out: RunOutput): Promise<UntapResult> {
  const signal = phaseSignal(req.timeoutMs, req.interrupt);
  const warnings: string[] = [];
  const warn = (text: string) => {
    warnings.push(text);
    out.line(text);
  };
  const workloads = await selectForUntap(cluster, req.namespace, req.selection, req.session, signal);
  const result: UntapResult = { dryRun: req.dryRun, namespace: req.namespace, workloads: [], sessionsRemoved: 0, rbacRemoved: false, warnings };

  const configMaps: string[] = [];
  for (const w of workloads) {
    const ref = workloadRef(w);
    let done: UntappedWorkload;
    try {
      done = req.dryRun ? { plan: planUntap(w, req.session), attempts: 0 } : await writeUntap(cluster, w, req.session, signal);
    } catch (e) {
      throw workloadError("untap", w, e);
    }
    result.workloads.push(done);
    result.sessionsRemoved += done.plan.removed.length;
    configMaps.push(...done.plan.configMapsToDelete);
    if (req.dryRun) {
      out.line(`[dry-run] ${ref}:`);
      await out.diff(untapDiff(done.plan));
    } else for (const r of done.plan.removed) out.line(`Untapped ${ref} (session ${r.session})`);
    for (const c of done.plan.conflicts) warn(`  conflict: ${c}`);
    for (const n of done.plan.notes) out.line(`  Note: ${n}`);
  }
  if (req.dryRun) return result;

  out.line(`\nRemoved ${result.sessionsRemoved} session(s) from ${workloads.length} workload(s)`);
  const cleanup = await cleanUp(cluster, req.namespace, configMaps, signal);
  cleanup.warnings.forEach(warn);
  result.rbacRemoved = cleanup.rbacRemoved;
  return result;
}
