/**
 * The ReplicaSet controller: keeps `spec.replicas` active pods from the template (named `<rs>-<5 random chars>`,
 * owned by the ReplicaSet), deletes the extras the way the real one ranks them (unscheduled, pending and not-ready
 * pods first, the newest first), and reports replicas, fullyLabeledReplicas, readyReplicas, availableReplicas and
 * observedGeneration.
 */

import type { KubeObject } from "../contract.ts";
import { type ControllerContext, deleteUnlessGone, statusCode, writeStatus } from "./controller-context.ts";
import { jsonEqual } from "./object-json.ts";
import { claim } from "./controller-refs.ts";
import { isPodActive, isPodReady } from "./pod-availability.ts";
import { podFromTemplate } from "./pod-from-template.ts";
import { randomSuffix } from "./pod-template-hash.ts";
import type { ReconcileResult } from "./work-queue.ts";
import { PodOwnerController } from "./pod-owner-controller.ts";

export class ReplicaSetController extends PodOwnerController {
  readonly name = "replicaset";

  constructor(ctx: ControllerContext) {
    super(ctx, ctx.types.replicasets);
  }

  protected sync(rs: KubeObject): ReconcileResult {
    const { store, types } = this.ctx;
    const namespace = rs.metadata.namespace;
    const pods = claim(this.ctx, rs, types.pods, store.list(types.pods, namespace).items);
    const active = pods.filter(isPodActive);
    const desired = rs.spec?.replicas ?? 1;

    if (active.length < desired) for (let i = active.length; i < desired; i++) this.#createPod(rs);
    else if (active.length > desired) {
      for (const pod of rankForDeletion(active).slice(0, active.length - desired)) deleteUnlessGone(this.ctx, types.pods, pod);
    }
    return this.#syncStatus(rs, active);
  }

  #createPod(rs: KubeObject): void {
    for (let attempt = 0; ; attempt++) {
      const pod = podFromTemplate(rs.spec?.template, rs, `${rs.metadata.name}-${randomSuffix()}`);
      pod.metadata.generateName = `${rs.metadata.name}-`;
      try {
        this.ctx.store.create(this.ctx.types.pods, pod);
        return;
      } catch (e) {
        // A random name that is taken: draw again, as the API server's generateName retry does.
        if (statusCode(e) !== 409 || attempt >= 5) throw e;
      }
    }
  }

  #syncStatus(rs: KubeObject, active: KubeObject[]): ReconcileResult {
    const minReady = rs.spec?.minReadySeconds ?? 0;
    const templateLabels: Record<string, string> = rs.spec?.template?.metadata?.labels ?? {};
    let ready = 0;
    let available = 0;
    let soonestMs: number | undefined;
    for (const pod of active) {
      if (isPodReady(pod)) ready++;
      const a = this.ctx.readiness.availability(pod, minReady);
      if (a.available) available++;
      else if (a.inMs !== undefined) soonestMs = Math.min(soonestMs ?? Infinity, a.inMs);
    }
    const fullyLabeled = active.filter((p) => Object.entries(templateLabels).every(([k, v]) => p.metadata.labels?.[k] === v)).length;
    // Go's omitempty: only `replicas` is written when zero.
    const status: Record<string, unknown> = { replicas: active.length };
    if (fullyLabeled) status.fullyLabeledReplicas = fullyLabeled;
    if (ready) status.readyReplicas = ready;
    if (available) status.availableReplicas = available;
    if (rs.metadata.generation) status.observedGeneration = rs.metadata.generation;
    if (rs.status?.conditions?.length) status.conditions = rs.status.conditions;
    if (!jsonEqual(status, rs.status ?? {})) writeStatus(this.ctx, this.ctx.types.replicasets, rs, status);
    return soonestMs === undefined ? undefined : { requeueAfterMs: soonestMs + 1 };
  }
}

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** controller.ActivePods' order: the pods to delete first come first. */
export function rankForDeletion(pods: KubeObject[]): KubeObject[] {
  const restarts = (p: KubeObject) => (p.status?.containerStatuses ?? []).reduce((n: number, c: any) => Math.max(n, c.restartCount ?? 0), 0);
  return [...pods].sort((a, b) => {
    const assigned = Number(!!a.spec?.nodeName) - Number(!!b.spec?.nodeName);
    if (assigned) return assigned;
    const phase = (PHASE_RANK[a.status?.phase] ?? 0) - (PHASE_RANK[b.status?.phase] ?? 0);
    if (phase) return phase;
    const ready = Number(isPodReady(a)) - Number(isPodReady(b));
    if (ready) return ready;
    const r = restarts(b) - restarts(a);
    if (r) return r;
    // Newer first: creationTimestamp has second precision, so the resourceVersion breaks ties (created later = larger).
    const created = String(b.metadata.creationTimestamp ?? "").localeCompare(String(a.metadata.creationTimestamp ?? ""));
    return created || Number(b.metadata.resourceVersion ?? 0) - Number(a.metadata.resourceVersion ?? 0);
  });
}
