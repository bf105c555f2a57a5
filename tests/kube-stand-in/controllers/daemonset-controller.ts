/**
 * The DaemonSet controller (pkg/controller/daemon): one pod per eligible Node (every Node whose labels match the
 * template's nodeSelector), pinned to it with the node-affinity term the real controller writes (the stand-in's
 * scheduler honours it) and the daemon tolerations. Pods carry `controller-revision-hash: <hash>` and
 * `pod-template-generation`. RollingUpdate replaces old pods while at most `maxUnavailable` (default 1, a
 * percentage rounds up) nodes lack an available pod; OnDelete only when a pod is deleted. Status:
 * desiredNumberScheduled, currentNumberScheduled, numberMisscheduled, numberReady, numberAvailable,
 * numberUnavailable, updatedNumberScheduled, observedGeneration.
 *
 * Not modelled: maxSurge > 0 (a new pod before the old one goes), taints (every node tolerates the daemon pods).
 */

import type { KubeObject, ResourceType, WatchEvent } from "../contract.ts";
import { type ControllerContext, deleteUnlessGone, statusCode, writeStatus } from "./controller-context.ts";
import { ControllerRevisions } from "./controller-revisions.ts";
import { scaledValue } from "./int-or-percent.ts";
import { jsonEqual } from "./object-json.ts";
import { claim } from "./controller-refs.ts";
import { controlledBy } from "./owner-references.ts";
import { isPodActive, isPodReady } from "./pod-availability.ts";
import { podFromTemplate } from "./pod-from-template.ts";
import { randomSuffix } from "./pod-template-hash.ts";
import { sameType } from "./resource-types.ts";
import { REVISION_LABEL } from "./statefulset-controller.ts";
import type { ReconcileResult } from "./work-queue.ts";
import { PodOwnerController } from "./pod-owner-controller.ts";

/** The tolerations every daemon pod gets (util.AddOrUpdateDaemonPodTolerations). */
const DAEMON_TOLERATIONS = [
  { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute" },
  { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute" },
  { key: "node.kubernetes.io/disk-pressure", operator: "Exists", effect: "NoSchedule" },
  { key: "node.kubernetes.io/memory-pressure", operator: "Exists", effect: "NoSchedule" },
  { key: "node.kubernetes.io/pid-pressure", operator: "Exists", effect: "NoSchedule" },
  { key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule" },
];

/** The node a daemon pod is bound to, or pinned to by its affinity term before the scheduler binds it. */
export function daemonPodNode(pod: KubeObject): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const t of terms) for (const f of t.matchFields ?? []) if (f.key === "metadata.name" && f.operator === "In" && f.values?.length === 1) return f.values[0];
  return undefined;
}

export class DaemonSetController extends PodOwnerController {
  readonly name = "daemonset";
  readonly #revisions: ControllerRevisions;

  constructor(ctx: ControllerContext) {
    super(ctx, ctx.types.daemonsets);
    this.#revisions = new ControllerRevisions(ctx);
  }

  handle(type: ResourceType, event: WatchEvent): void {
    // A node added or removed (or relabelled, changing what is eligible) concerns every DaemonSet.
    if (sameType(type, this.ctx.types.nodes)) this.resyncAll();
    else super.handle(type, event);
  }

  protected sync(ds: KubeObject): ReconcileResult {
    const { store, types } = this.ctx;
    const namespace = ds.metadata.namespace;
    const { hash } = this.#revisions.ensure(ds);
    const selector: Record<string, string> = ds.spec?.template?.spec?.nodeSelector ?? {};
    const eligible = store
      .list(types.nodes, undefined)
      .items.filter((n) => Object.entries(selector).every(([k, v]) => n.metadata.labels?.[k] === v))
      .map((n) => n.metadata.name!);
    const pods = claim(this.ctx, ds, types.pods, store.list(types.pods, namespace).items).filter(isPodActive);
    const byNode = new Map<string, KubeObject[]>();
    for (const p of pods) {
      const node = daemonPodNode(p) ?? "";
      byNode.set(node, [...(byNode.get(node) ?? []), p]);
    }

    for (const node of eligible) {
      const here = byNode.get(node) ?? [];
      if (here.length === 0) this.#createPod(ds, node, hash);
      // More than one: keep the oldest (the real controller keeps the one that has been running longest).
      for (const extra of here.slice(1)) deleteUnlessGone(this.ctx, this.ctx.types.pods, extra);
    }
    for (const [node, here] of byNode) if (!eligible.includes(node)) for (const p of here) deleteUnlessGone(this.ctx, this.ctx.types.pods, p);

    if ((ds.spec?.updateStrategy?.type ?? "RollingUpdate") === "RollingUpdate") this.#rollingUpdate(ds, eligible, byNode, hash);
    this.#syncStatus(ds, eligible, hash);
  }

  #rollingUpdate(ds: KubeObject, eligible: string[], byNode: Map<string, KubeObject[]>, hash: string): void {
    const minReady = ds.spec?.minReadySeconds ?? 0;
    const maxUnavailable = Math.max(1, scaledValue(ds.spec?.updateStrategy?.rollingUpdate?.maxUnavailable, eligible.length, true, 1));
    const available = (p: KubeObject | undefined) => !!p && this.ctx.readiness.availability(p, minReady).available;
    let unavailable = eligible.filter((n) => !available(byNode.get(n)?.[0])).length;
    for (const node of eligible) {
      const pod = byNode.get(node)?.[0];
      if (!pod || pod.metadata.labels?.[REVISION_LABEL] === hash) continue;
      if (!available(pod)) deleteUnlessGone(this.ctx, this.ctx.types.pods, pod); // Already unavailable: replacing it costs nothing.
      else if (unavailable < maxUnavailable) {
        deleteUnlessGone(this.ctx, this.ctx.types.pods, pod);
        unavailable++;
      }
    }
  }

  #createPod(ds: KubeObject, node: string, hash: string): void {
    const pod = podFromTemplate(ds.spec?.template, ds, `${ds.metadata.name}-${randomSuffix()}`, {
      [REVISION_LABEL]: hash,
      "pod-template-generation": String(ds.metadata.generation ?? 1),
    });
    pod.metadata.generateName = `${ds.metadata.name}-`;
    const spec = pod.spec;
    const terms = (spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []).filter(
      (t: any) => !(t.matchFields ?? []).some((f: any) => f.key === "metadata.name"),
    );
    spec.affinity = {
      ...(spec.affinity ?? {}),
      nodeAffinity: {
        ...(spec.affinity?.nodeAffinity ?? {}),
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [...terms, { matchFields: [{ key: "metadata.name", operator: "In", values: [node] }] }] },
      },
    };
    const tolerations: any[] = spec.tolerations ?? [];
    for (const t of DAEMON_TOLERATIONS) if (!tolerations.some((x) => x.key === t.key && x.effect === t.effect)) tolerations.push({ ...t });
    spec.tolerations = tolerations;
    try {
      this.ctx.store.create(this.ctx.types.pods, pod);
    } catch (e) {
      if (statusCode(e) !== 409) throw e;
    }
  }

  #syncStatus(ds: KubeObject, eligible: string[], hash: string): void {
    const minReady = ds.spec?.minReadySeconds ?? 0;
    const pods = controlledBy(ds, this.ctx.store.list(this.ctx.types.pods, ds.metadata.namespace).items).filter(isPodActive);
    const onNode = (node: string) => pods.find((p) => daemonPodNode(p) === node);
    let current = 0;
    let ready = 0;
    let availableCount = 0;
    let updated = 0;
    for (const node of eligible) {
      const p = onNode(node);
      if (!p) continue;
      current++;
      if (isPodReady(p)) ready++;
      if (this.ctx.readiness.availability(p, minReady).available) availableCount++;
      if (p.metadata.labels?.[REVISION_LABEL] === hash) updated++;
    }
    const misscheduled = pods.filter((p) => !eligible.includes(daemonPodNode(p) ?? "")).length;
    const status: Record<string, unknown> = {
      currentNumberScheduled: current,
      numberMisscheduled: misscheduled,
      desiredNumberScheduled: eligible.length,
      numberReady: ready,
    };
    if (ds.metadata.generation) status.observedGeneration = ds.metadata.generation;
    if (updated) status.updatedNumberScheduled = updated;
    if (availableCount) status.numberAvailable = availableCount;
    if (eligible.length - availableCount > 0) status.numberUnavailable = eligible.length - availableCount;
    if (jsonEqual(status, ds.status ?? {})) return;
    writeStatus(this.ctx, this.ctx.types.daemonsets, ds, status);
  }
}
