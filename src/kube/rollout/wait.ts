/**
 * `--wait`: follows the rollouts one run started until each is complete by `kubectl rollout status`'s rules
 * (status.ts), and fails as soon as one cannot complete — a new pod that will not come up (pod-problems.ts), a
 * Deployment past its progress deadline — or when the wait's deadline passes. The workloads and their pods are
 * polled: a few requests a second at most, and no watch to re-establish when a connection drops.
 */

import { isForbidden } from "../errors/kube-error.ts";
import type { Cluster } from "../connect.ts";
import { formatMs } from "../errors/from-fetch.ts";
import { workloadRef, type Workload, type WorkloadKind } from "../tap/workload.ts";
import { workloadPath } from "../workloads/kinds.ts";
import { withContext } from "../workloads/wrap-error.ts";
import { selectorText, type LabelSelector } from "./label-selector.ts";
import { podDiagnosis, podFailure, type Pod } from "./pod-problems.ts";
import { rolloutState, type RolloutState } from "./status.ts";

export interface RolloutTarget {
  /** The workload as written: its namespace, name and selector are what is followed. */
  workload: Workload;
  /** The pods of the new template (tap: those that have its sidecar); only these can fail the rollout. */
  isNewPod: (pod: Pod) => boolean;
}

export interface RolloutWaitOptions {
  /** The wait's deadline. */
  signal: AbortSignal;
  /** The deadline's length, for the message when it passes. */
  timeoutMs: number;
  pollMs?: number;
  /** The current state line of every rollout not finished yet (for a progress line on a terminal). */
  onProgress?: (lines: string[]) => void;
  /** Called once per workload when it is done or found unwaitable. */
  onSettled?: (ref: string, state: RolloutState) => void;
}

export interface RolloutOutcome {
  ref: string;
  state: "done" | "unwaitable";
  message: string;
}

/** A rollout that failed or ran out of time: which workload, and (when one is to blame) which pod and why. */
export class RolloutFailure extends Error {
  constructor(
    readonly ref: string,
    message: string,
    readonly timedOut: boolean,
  ) {
    super(message);
    this.name = "RolloutFailure";
  }
}

interface Tracked extends RolloutTarget {
  ref: string;
  last: RolloutState | null;
  podsVisible: boolean;
  /** Why the newest not-ready new pod is not ready, for the timeout message. */
  diagnosis: string | null;
}

export const DEFAULT_POLL_MS = 1000;

export async function waitForRollouts(cluster: Cluster, targets: readonly RolloutTarget[], opts: RolloutWaitOptions): Promise<RolloutOutcome[]> {
  const pending: Tracked[] = targets.map((t) => ({ ...t, ref: workloadRef(t.workload), last: null, podsVisible: true, diagnosis: null }));
  const outcomes: RolloutOutcome[] = [];
  try {
    while (pending.length > 0) {
      await Promise.all(pending.map((t) => observe(cluster, t, opts.signal)));
      for (const t of [...pending]) {
        const s = t.last!;
        if (s.state === "done" || s.state === "unwaitable") {
          pending.splice(pending.indexOf(t), 1);
          outcomes.push({ ref: t.ref, state: s.state, message: s.message });
          opts.onSettled?.(t.ref, s);
        }
      }
      if (pending.length === 0) break;
      opts.onProgress?.(pending.map((t) => `${t.ref}: ${t.last!.message}`));
      await sleep(opts.pollMs ?? DEFAULT_POLL_MS, opts.signal);
    }
  } catch (e) {
    if (!opts.signal.aborted || e instanceof RolloutFailure) throw e;
    const t = pending[0]!;
    const where = t.last === null ? "" : `: ${t.last.message}`;
    throw new RolloutFailure(t.ref, `${t.ref}: rollout did not finish within ${formatMs(opts.timeoutMs)}${where}${t.diagnosis ? ` (${t.diagnosis})` : ""}`, true);
  }
  return outcomes;
}

/** One look at a workload and its new pods; throws RolloutFailure when it cannot complete. */
async function observe(cluster: Cluster, t: Tracked, signal: AbortSignal): Promise<void> {
  const { kind, metadata } = t.workload;
  const namespace = metadata.namespace!;
  let current: Workload;
  try {
    current = await cluster.request<Workload>({ path: workloadPath(namespace, kind as WorkloadKind, metadata.name), signal });
  } catch (e) {
    throw withContext(`wait for ${t.ref}`, e);
  }
  current.kind = kind;
  t.last = rolloutState(current);
  if (t.last.state === "done" || t.last.state === "unwaitable") return;
  const pods = await newPods(cluster, t, current, signal);
  const failed = pods.map(podFailure).find((f) => f !== null);
  if (failed) throw new RolloutFailure(t.ref, `${t.ref}: ${failed}`, false);
  t.diagnosis = pods.map(podDiagnosis).find((d) => d !== null) ?? null;
  if (t.last.state === "failed") throw new RolloutFailure(t.ref, `${t.ref}: ${t.last.message}${t.diagnosis ? ` (${t.diagnosis})` : ""}`, false);
}

/** The workload's pods of the new template; none when the user may not list pods (the status rules still apply). */
async function newPods(cluster: Cluster, t: Tracked, w: Workload, signal: AbortSignal): Promise<Pod[]> {
  if (!t.podsVisible) return [];
  const selector = selectorText((w.spec as { selector?: LabelSelector }).selector);
  try {
    const list = await cluster.request<{ items?: Pod[] }>({
      path: `/api/v1/namespaces/${encodeURIComponent(w.metadata.namespace!)}/pods`,
      query: { labelSelector: selector || undefined },
      signal,
    });
    return (list?.items ?? []).filter(t.isNewPod);
  } catch (e) {
    if (!isForbidden(e)) throw withContext(`wait for ${t.ref}`, e);
    t.podsVisible = false;
    return [];
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
