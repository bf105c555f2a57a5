/**
 * The StatefulSet controller (pkg/controller/statefulset): pods `<sts>-0 … <sts>-N-1`, created in order and each only
 * once the one before is Running and Ready (OrderedReady; `Parallel` creates them at once), removed from the highest
 * ordinal down. Each pod carries `controller-revision-hash: <sts>-<hash>`. RollingUpdate replaces pods from the
 * highest ordinal down to `partition`, one at a time, waiting for each to be ready; pods below the partition are
 * recreated at the current revision. OnDelete replaces a pod only when someone deletes it. Status: replicas,
 * readyReplicas, availableReplicas, currentReplicas, updatedReplicas, currentRevision, updateRevision,
 * observedGeneration.
 *
 * Not modelled: volumeClaimTemplates (no PVCs are made), maxUnavailable > 1, minReadySeconds in the update pacing.
 */

import type { KubeObject } from "../contract.ts";
import { type ControllerContext, deleteUnlessGone, statusCode, writeStatus } from "./controller-context.ts";
import { ControllerRevisions } from "./controller-revisions.ts";
import { jsonEqual } from "./object-json.ts";
import { claim } from "./controller-refs.ts";
import { controlledBy } from "./owner-references.ts";
import { isPodReady } from "./pod-availability.ts";
import { podFromTemplate } from "./pod-from-template.ts";
import type { ReconcileResult } from "./work-queue.ts";
import { PodOwnerController } from "./pod-owner-controller.ts";

export const REVISION_LABEL = "controller-revision-hash";

const runningAndReady = (p: KubeObject) => p.status?.phase === "Running" && isPodReady(p);
const terminating = (p: KubeObject) => !!p.metadata.deletionTimestamp;
const finished = (p: KubeObject) => p.status?.phase === "Failed" || p.status?.phase === "Succeeded";

export class StatefulSetController extends PodOwnerController {
  readonly name = "statefulset";
  readonly #revisions: ControllerRevisions;

  constructor(ctx: ControllerContext) {
    super(ctx, ctx.types.statefulsets);
    this.#revisions = new ControllerRevisions(ctx);
  }

  protected sync(sts: KubeObject): ReconcileResult {
    const { store, types } = this.ctx;
    const namespace = sts.metadata.namespace;
    const pods = claim(this.ctx, sts, types.pods, store.list(types.pods, namespace).items);
    const update = this.#revisions.ensure(sts);
    const currentRevision: string = sts.status?.currentRevision || update.name;
    this.#act(sts, pods, update.name, currentRevision);
    this.#syncStatus(sts, controlledBy(sts, store.list(types.pods, namespace).items), update.name, currentRevision);
  }

  /** One step of the controller's work: create, replace or remove at most what the policy allows, then stop. */
  #act(sts: KubeObject, pods: KubeObject[], updateRevision: string, currentRevision: string): void {
    const replicas = sts.spec?.replicas ?? 1;
    const ordered = sts.spec?.podManagementPolicy !== "Parallel";
    const strategy = sts.spec?.updateStrategy?.type ?? "RollingUpdate";
    const partition = strategy === "RollingUpdate" ? (sts.spec?.updateStrategy?.rollingUpdate?.partition ?? 0) : 0;
    const byOrdinal = new Map<number, KubeObject>();
    const condemned: KubeObject[] = [];
    for (const p of pods) {
      const ord = ordinalOf(sts, p);
      if (ord === undefined) continue;
      if (ord < replicas) byOrdinal.set(ord, p);
      else condemned.push(p);
    }

    for (let ord = 0; ord < replicas; ord++) {
      const pod = byOrdinal.get(ord);
      if (!pod) {
        // Below the partition a pod comes back at the revision its neighbours run (newVersionedStatefulSetPod).
        const atCurrent = strategy === "RollingUpdate" && ord < partition && currentRevision !== updateRevision;
        this.#createPod(sts, ord, atCurrent ? currentRevision : updateRevision, updateRevision);
        if (ordered) return;
        continue;
      }
      if (finished(pod) && !terminating(pod)) {
        deleteUnlessGone(this.ctx, this.ctx.types.pods, pod);
        if (ordered) return;
        continue;
      }
      if (ordered && (terminating(pod) || !runningAndReady(pod))) return;
    }

    if (condemned.length) {
      const sorted = condemned.sort((a, b) => ordinalOf(sts, b)! - ordinalOf(sts, a)!);
      if (ordered) {
        if (!terminating(sorted[0])) deleteUnlessGone(this.ctx, this.ctx.types.pods, sorted[0]);
        return;
      }
      for (const p of sorted) if (!terminating(p)) deleteUnlessGone(this.ctx, this.ctx.types.pods, p);
    }

    if (strategy !== "RollingUpdate") return;
    for (let ord = replicas - 1; ord >= partition; ord--) {
      const pod = byOrdinal.get(ord);
      if (!pod) return;
      if (pod.metadata.labels?.[REVISION_LABEL] !== updateRevision && !terminating(pod)) {
        deleteUnlessGone(this.ctx, this.ctx.types.pods, pod);
        return;
      }
      if (!runningAndReady(pod)) return;
    }
  }

  #createPod(sts: KubeObject, ord: number, revision: string, updateRevision: string): void {
    // An old revision's template comes from its ControllerRevision; if that is gone, the current template is all there is.
    const template = revision === updateRevision ? sts.spec?.template : (this.#revisions.template(sts, revision) ?? sts.spec?.template);
    const podName = `${sts.metadata.name}-${ord}`;
    const pod = podFromTemplate(template, sts, podName, {
      [REVISION_LABEL]: revision,
      "statefulset.kubernetes.io/pod-name": podName,
      "apps.kubernetes.io/pod-index": String(ord),
    });
    pod.spec.hostname = podName;
    if (sts.spec?.serviceName) pod.spec.subdomain = sts.spec.serviceName;
    try {
      this.ctx.store.create(this.ctx.types.pods, pod);
    } catch (e) {
      if (statusCode(e) !== 409) throw e; // An old pod of the same name still being removed: the next event brings us back.
    }
  }

  #syncStatus(sts: KubeObject, pods: KubeObject[], updateRevision: string, currentRevisionIn: string): void {
    const replicasWanted = sts.spec?.replicas ?? 1;
    const minReady = sts.spec?.minReadySeconds ?? 0;
    const live = pods.filter((p) => !terminating(p));
    const count = (f: (p: KubeObject) => boolean) => live.filter(f).length;
    let currentRevision = currentRevisionIn;
    let currentReplicas = count((p) => p.metadata.labels?.[REVISION_LABEL] === currentRevision);
    const updatedReplicas = count((p) => p.metadata.labels?.[REVISION_LABEL] === updateRevision);
    const readyReplicas = count(isPodReady);
    const availableReplicas = count((p) => this.ctx.readiness.availability(p, minReady).available);
    // completeRollingUpdate: once every pod runs the update revision and is ready, it becomes the current one.
    const strategy = sts.spec?.updateStrategy?.type ?? "RollingUpdate";
    if (strategy === "RollingUpdate" && updatedReplicas === replicasWanted && readyReplicas === replicasWanted && live.length === replicasWanted) {
      currentRevision = updateRevision;
      currentReplicas = updatedReplicas;
    }
    // Go's omitempty on StatefulSetStatus: replicas and availableReplicas are always written.
    const status: Record<string, unknown> = { replicas: live.length, availableReplicas };
    if (sts.metadata.generation) status.observedGeneration = sts.metadata.generation;
    if (readyReplicas) status.readyReplicas = readyReplicas;
    if (currentReplicas) status.currentReplicas = currentReplicas;
    if (updatedReplicas) status.updatedReplicas = updatedReplicas;
    status.currentRevision = currentRevision;
    status.updateRevision = updateRevision;
    status.collisionCount = sts.status?.collisionCount ?? 0;
    const ordered = ["observedGeneration", "replicas", "readyReplicas", "currentReplicas", "updatedReplicas", "currentRevision", "updateRevision", "collisionCount", "availableReplicas"];
    const sortedStatus = Object.fromEntries(ordered.filter((k) => k in status).map((k) => [k, status[k]]));
    if (jsonEqual(sortedStatus, sts.status ?? {})) return;
    writeStatus(this.ctx, this.ctx.types.statefulsets, sts, sortedStatus);
  }
}

/** The ordinal in `<sts>-<n>`, or undefined for a pod not named like one of this set's. */
export function ordinalOf(sts: KubeObject, pod: KubeObject): number | undefined {
  const prefix = `${sts.metadata.name}-`;
  const name = pod.metadata.name ?? "";
  if (!name.startsWith(prefix)) return undefined;
  const rest = name.slice(prefix.length);
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : undefined;
}
