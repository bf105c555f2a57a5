/**
 * A `logtap tap` run (§22.3 steps 6–15, with the §26 fixes and issue 11's additions): checks, the forwarder RBAC,
 * one session for every workload, each workload changed by a conditional read-modify-write, then — with `--wait` —
 * the rollouts followed until they are complete. When a change is refused, or the new pods do not come up, every
 * workload this run changed is untapped again (unless `--no-rollback`) and the run fails.
 */

import type { Cluster } from "../connect.ts";
import type { RolloutOutcome } from "../rollout/wait.ts";
import { tapDiff } from "../tap/dry-run.ts";
import { fluentBitConfigMap } from "../tap/fluent-bit.ts";
import { PRESTOP_SLEEP_SECONDS } from "../tap/forwarder-defaults.ts";
import { planTap, type TapOptions, type TapPlan } from "../tap/plan-tap.ts";
import { pullPolicyWarning } from "../tap/pull-policy.ts";
import { newSessionId } from "../tap/session-id.ts";
import { workloadRef, type Workload } from "../tap/workload.ts";
import { withContext } from "../workloads/wrap-error.ts";
import { phaseSignal } from "./deadline.ts";
import { chooseSidecarMode, type SidecarModeChoice } from "./detect-sidecar-mode.ts";
import { ensureForwarderRbac, serviceAccountOf } from "./forwarder-rbac.ts";
import { checkNamespace } from "./namespace-check.ts";
import type { RunOutput } from "./output.ts";
import { receiverCheckFailure, receiverProblem } from "./receiver-check.ts";
import { resourceWarnings } from "./resource-checks.ts";
import { selectForTap } from "./selection.ts";
import type { TapRequest } from "./tap-request.ts";
import { interrupted, undo } from "./undo-run.ts";
import { waitAll } from "./wait-phase.ts";
import { workloadError, writeTap } from "./write-workload.ts";

export type { TapRequest } from "./tap-request.ts";


export interface TappedWorkload {
  plan: TapPlan;
  /** Tries the write took (more than 1: someone else wrote in between). 0 in a dry run. */
  attempts: number;
  rollout: RolloutOutcome | null;
}

export interface TapResult {
  dryRun: boolean;
  session: string;
  target: string;
  namespace: string;
  sidecarMode: SidecarModeChoice;
  workloads: TappedWorkload[];
  warnings: string[];
}

export async function runTap(cluster: Cluster, req: TapRequest, out: RunOutput): Promise<TapResult> {
  const warnings: string[] = [];
  const warn = (text: string) => {
    warnings.push(text);
    out.line(text);
  };
  const changes = phaseSignal(req.timeoutMs, req.interrupt);
  const { workloads, opts, sidecarMode } = await prepare(cluster, req, out, warn, changes);
  const result: TapResult = { dryRun: req.dryRun, session: opts.session, target: req.target, namespace: req.namespace, sidecarMode, workloads: [], warnings };
  if (req.dryRun) {
    for (const w of workloads) result.workloads.push({ plan: await showPlan(w, opts, out), attempts: 0, rollout: null });
    return result;
  }
  const changed = await applyAll(cluster, req, workloads, opts, out, result, changes);
  if (req.wait) {
    const outcomes = await waitAll(cluster, req, opts.session, changed, out);
    for (const t of result.workloads) t.rollout = outcomes.find((o) => o.ref === workloadRef(t.plan.workload)) ?? null;
  }
  return result;
}

/** §22.3 steps 6–12: the checks, the workloads, the sidecar mode, the forwarder RBAC, the session, the warnings. */
async function prepare(cluster: Cluster, req: TapRequest, out: RunOutput, warn: (text: string) => void, signal: AbortSignal) {
  const ns = await checkNamespace(cluster, req.namespace, req.allowProd, signal);
  ns.warnings.forEach(warn);
  if (!req.force) {
    const problem = await receiverProblem(req.target);
    if (problem !== null) {
      const f = receiverCheckFailure(problem);
      out.line(f.warning);
      throw f.error;
    }
  }
  const workloads = await selectForTap(cluster, req.namespace, req.selection, signal);
  const sidecarMode = await chooseSidecarMode(cluster, req.sidecarMode, signal);
  if (sidecarMode.warning !== null) warn(sidecarMode.warning);
  out.line(`Sidecar mode: ${sidecarMode.mode} (${sidecarMode.reason})`);
  if (!req.dryRun) await ensureForwarderRbac(cluster, req.namespace, workloads.map(serviceAccountOf), signal);
  const session = newSessionId();
  if (!req.force) (await resourceWarnings(cluster, req.namespace, workloads, { memory: req.memory, cpu: req.cpu }, signal)).forEach(warn);
  for (const w of workloads) pullPolicyWarning(workloadRef(w), w.spec.template.spec, req.pinImages).forEach(warn);
  const opts: TapOptions = {
    session,
    target: req.target,
    mode: sidecarMode.mode,
    forwarder: req.forwarder,
    image: req.image,
    memory: req.memory,
    cpu: req.cpu,
    pinImages: req.pinImages,
    namespaceMeta: ns.meta,
  };
  return { workloads, opts, sidecarMode };
}

/** §22.3 step 14: the plan on the workload as read, shown and not written. */
async function showPlan(w: Workload, opts: TapOptions, out: RunOutput): Promise<TapPlan> {
  let plan: TapPlan;
  try {
    plan = planTap(w, opts);
  } catch (e) {
    throw workloadError("inject", w, e);
  }
  out.line(`[dry-run] ${workloadRef(w)}:`);
  await out.diff(tapDiff(plan));
  for (const note of plan.notes) out.line(`  Note: ${note}`);
  if (opts.mode === "container") out.line(`  Note: ensure terminationGracePeriodSeconds >= ${PRESTOP_SLEEP_SECONDS + 5} for graceful sidecar drain`);
  return plan;
}

/** §22.3 step 13: each workload written in turn; the first failure undoes the ones before it (unless --no-rollback). */
async function applyAll(cluster: Cluster, req: TapRequest, workloads: Workload[], opts: TapOptions, out: RunOutput, result: TapResult, signal: AbortSignal): Promise<Workload[]> {
  const session = opts.session;
  if (req.forwarder === "fluent-bit") {
    const cm = fluentBitConfigMap(session, req.namespace, req.target);
    try {
      await createConfigMap(cluster, cm, signal);
    } catch (e) {
      await undo(cluster, req, session, [], out);
      throw withContext(`create ConfigMap ${cm.metadata.name}`, e);
    }
  }
  const changed: Workload[] = [];
  for (const [i, w] of workloads.entries()) {
    if (workloads.length > 1) out.line(`Tapping ${workloadRef(w)} [${i + 1}/${workloads.length}]...`);
    try {
      const written = await writeTap(cluster, w, opts, signal);
      changed.push(written.stored);
      result.workloads.push({ plan: written.plan, attempts: written.attempts, rollout: null });
      out.line(`Tapped ${workloadRef(w)} (session ${session})`);
    } catch (e) {
      // Nothing changed yet: the run's ConfigMap and RBAC are undone even with --no-rollback.
      const failed = req.rollback || changed.length === 0 ? await undo(cluster, req, session, changed, out) : [];
      if (req.interrupt?.aborted) throw interrupted(session, changed.length, req.rollback, failed);
      throw workloadError("inject", w, e);
    }
  }
  return changed;
}

async function createConfigMap(cluster: Cluster, cm: ReturnType<typeof fluentBitConfigMap>, signal: AbortSignal): Promise<void> {
  await cluster.request({ method: "POST", path: `/api/v1/namespaces/${encodeURIComponent(cm.metadata.namespace)}/configmaps`, query: { fieldManager: "logtap" }, body: cm, signal });
}

