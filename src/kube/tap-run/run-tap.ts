/**
 * A `logtap tap` run (§22.3 steps 6–15, with the §26 fixes and issue 11's additions): checks, the forwarder RBAC,
 * one session for every workload, each workload changed by a conditional read-modify-write, then — with `--wait` —
 * the rollouts followed until they are complete. When a change is refused, or the new pods do not come up, every
 * workload this run changed is untapped again (unless `--no-rollback`) and the run fails.
 */

import { CliError, EXIT } from "../../common/errors.ts";
import type { Cluster } from "../connect.ts";
import { formatMs } from "../errors/from-fetch.ts";
import { KubeError } from "../errors/kube-error.ts";
import { RolloutFailure, waitForRollouts, type RolloutOutcome } from "../rollout/wait.ts";
import { tapDiff } from "../tap/dry-run.ts";
import { fluentBitConfigMap } from "../tap/fluent-bit.ts";
import { PRESTOP_SLEEP_SECONDS } from "../tap/forwarder-defaults.ts";
import { fluentBitConfigMapName, sidecarName } from "../tap/names.ts";
import { planTap, type TapOptions, type TapPlan } from "../tap/plan-tap.ts";
import { pullPolicyWarning } from "../tap/pull-policy.ts";
import { newSessionId } from "../tap/session-id.ts";
import type { SidecarModeFlag } from "../tap/sidecar-mode.ts";
import type { ForwarderKind } from "../tap/sidecar-spec.ts";
import { TapError, workloadRef, type Workload } from "../tap/workload.ts";
import { withContext } from "../workloads/wrap-error.ts";
import { phaseSignal } from "./deadline.ts";
import { chooseSidecarMode, type SidecarModeChoice } from "./detect-sidecar-mode.ts";
import { cleanUp } from "./cleanup.ts";
import { ensureForwarderRbac, serviceAccountOf } from "./forwarder-rbac.ts";
import { checkNamespace } from "./namespace-check.ts";
import type { RunOutput } from "./output.ts";
import { receiverCheckFailure, receiverProblem } from "./receiver-check.ts";
import { resourceWarnings } from "./resource-checks.ts";
import { hasContainer, rollBack } from "./rollback.ts";
import { selectForTap, type Selection } from "./selection.ts";
import { writeTap } from "./write-workload.ts";

export interface TapRequest {
  namespace: string;
  selection: Selection;
  target: string;
  forwarder: ForwarderKind;
  image?: string;
  memory: string;
  cpu: string;
  sidecarMode: SidecarModeFlag;
  pinImages: boolean;
  dryRun: boolean;
  force: boolean;
  allowProd: boolean;
  rollback: boolean;
  wait: boolean;
  timeoutMs: number;
  /** Ctrl+C: ends the changes or the wait, which are then rolled back. */
  interrupt?: AbortSignal;
}

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

function injectError(w: Workload, e: unknown): unknown {
  const prefix = `inject ${workloadRef(w)}`;
  if (e instanceof TapError) return new CliError(`${prefix}: ${e.message}`, EXIT.internal);
  if (e instanceof KubeError) return withContext(prefix, e);
  return e;
}

export async function runTap(cluster: Cluster, req: TapRequest, out: RunOutput): Promise<TapResult> {
  const warnings: string[] = [];
  const warn = (text: string) => {
    warnings.push(text);
    out.line(text);
  };
  const changes = phaseSignal(req.timeoutMs, req.interrupt);

  const ns = await checkNamespace(cluster, req.namespace, req.allowProd, changes);
  ns.warnings.forEach(warn);
  if (!req.force) {
    const problem = await receiverProblem(req.target);
    if (problem !== null) {
      const f = receiverCheckFailure(problem);
      out.line(f.warning);
      throw f.error;
    }
  }
  const workloads = await selectForTap(cluster, req.namespace, req.selection, changes);
  const sidecarMode = await chooseSidecarMode(cluster, req.sidecarMode, changes);
  if (sidecarMode.warning !== null) warn(sidecarMode.warning);
  out.line(`Sidecar mode: ${sidecarMode.mode} (${sidecarMode.reason})`);
  if (!req.dryRun) await ensureForwarderRbac(cluster, req.namespace, workloads.map(serviceAccountOf), changes);
  const session = newSessionId();
  if (!req.force) (await resourceWarnings(cluster, req.namespace, workloads, { memory: req.memory, cpu: req.cpu }, changes)).forEach(warn);
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
  const result: TapResult = { dryRun: req.dryRun, session, target: req.target, namespace: req.namespace, sidecarMode, workloads: [], warnings };
  if (req.dryRun) {
    for (const w of workloads) {
      let plan: TapPlan;
      try {
        plan = planTap(w, opts);
      } catch (e) {
        throw injectError(w, e);
      }
      out.line(`[dry-run] ${workloadRef(w)}:`);
      await out.diff(tapDiff(plan));
      for (const note of plan.notes) out.line(`  Note: ${note}`);
      if (sidecarMode.mode === "container") out.line(`  Note: ensure terminationGracePeriodSeconds >= ${PRESTOP_SLEEP_SECONDS + 5} for graceful sidecar drain`);
      result.workloads.push({ plan, attempts: 0, rollout: null });
    }
    return result;
  }

  if (req.forwarder === "fluent-bit") await createConfigMap(cluster, fluentBitConfigMap(session, req.namespace, req.target), changes);
  const changed: Workload[] = [];
  for (const [i, w] of workloads.entries()) {
    if (workloads.length > 1) out.line(`Tapping ${workloadRef(w)} [${i + 1}/${workloads.length}]...`);
    try {
      const written = await writeTap(cluster, w, opts, changes);
      changed.push(written.stored);
      result.workloads.push({ plan: written.plan, attempts: written.attempts, rollout: null });
      out.line(`Tapped ${workloadRef(w)} (session ${session})`);
    } catch (e) {
      const failed = req.rollback || changed.length === 0 ? await undo(cluster, req, session, changed, out) : [];
      if (req.interrupt?.aborted) throw interrupted(session, changed.length, req.rollback, failed);
      throw injectError(w, e);
    }
  }

  if (req.wait) {
    const outcomes = await waitAll(cluster, req, session, changed, out);
    for (const t of result.workloads) t.rollout = outcomes.find((o) => o.ref === workloadRef(t.plan.workload)) ?? null;
  }
  return result;
}

async function createConfigMap(cluster: Cluster, cm: ReturnType<typeof fluentBitConfigMap>, signal: AbortSignal): Promise<void> {
  await cluster.request({ method: "POST", path: `/api/v1/namespaces/${encodeURIComponent(cm.metadata.namespace)}/configmaps`, query: { fieldManager: "logtap" }, body: cm, signal });
}

/**
 * Rolls back what the run changed, then removes what nothing needs any more: the run's Fluent Bit ConfigMap, and the
 * forwarder RBAC if nothing in the namespace is tapped. Returns the workloads whose rollback failed.
 */
async function undo(cluster: Cluster, req: TapRequest, session: string, changed: Workload[], out: RunOutput): Promise<string[]> {
  const signal = phaseSignal(req.timeoutMs);
  const { failed } = changed.length > 0 ? await rollBack(cluster, session, changed, (l) => out.line(l), signal) : { failed: [] };
  const configMaps = req.forwarder === "fluent-bit" ? [fluentBitConfigMapName(session)] : [];
  for (const warning of (await cleanUp(cluster, req.namespace, configMaps, signal)).warnings) out.line(warning);
  return failed;
}

async function waitAll(cluster: Cluster, req: TapRequest, session: string, changed: Workload[], out: RunOutput): Promise<RolloutOutcome[]> {
  const sidecar = sidecarName(session);
  const limit = req.timeoutMs > 0 ? `--timeout ${formatMs(req.timeoutMs)}` : "no --timeout";
  out.line(`Waiting for ${changed.length === 1 ? "the rollout" : `${changed.length} rollouts`} (${limit}; --no-wait to skip)...`);
  try {
    return await waitForRollouts(
      cluster,
      changed.map((workload) => ({ workload, isNewPod: (p) => hasContainer(p, sidecar) })),
      {
        signal: phaseSignal(req.timeoutMs, req.interrupt),
        timeoutMs: req.timeoutMs,
        onProgress: (lines) => out.progress(lines),
        onSettled: (ref, s) => {
          out.progressDone();
          out.line(s.state === "done" ? `Rolled out ${ref}` : `Not waiting for ${ref}: ${s.message}`);
        },
      },
    );
  } catch (e) {
    out.progressDone();
    if (req.interrupt?.aborted) {
      const failed = req.rollback ? await undo(cluster, req, session, changed, out) : [];
      throw interrupted(session, changed.length, req.rollback, failed);
    }
    const reason = e instanceof RolloutFailure ? e.message : (e as Error).message;
    out.line(`Rollout failed: ${reason}`);
    if (!req.rollback) throw new CliError(`rollout failed: ${reason} (${kept(session)})`, EXIT.rollout);
    const failed = await undo(cluster, req, session, changed, out);
    throw new CliError(`rollout failed: ${reason}; ${undone(changed.length, failed)}`, EXIT.rollout);
  }
}

const kept = (session: string) => `kept: --no-rollback; remove with 'logtap untap --session ${session}'`;

function undone(count: number, failed: string[]): string {
  return failed.length === 0 ? `rolled back ${count} workload(s)` : `rollback failed for ${failed.join(", ")}`;
}

/** Ctrl+C: 130, as a shell reports a command ended by SIGINT, once what the run changed is undone. */
function interrupted(session: string, count: number, rollback: boolean, failed: string[]): CliError {
  if (count === 0) return new CliError("interrupted: nothing was changed", EXIT_INTERRUPTED);
  return new CliError(`interrupted: ${rollback ? undone(count, failed) : kept(session)}`, EXIT_INTERRUPTED);
}

const EXIT_INTERRUPTED = 130;
