/**
 * The Deployment controller (pkg/controller/deployment): a pod-template change makes a new ReplicaSet named
 * `<deployment>-<pod-template-hash>` with the next revision, which is scaled up while the old ones are scaled down
 * (RollingUpdate within maxSurge/maxUnavailable, or Recreate: old pods gone first); a template identical to an old
 * ReplicaSet's (a rollback, or untap restoring a template byte for byte) reuses that ReplicaSet under a new revision.
 * Status and conditions follow progress.go, and a rollout that makes no progress for `progressDeadlineSeconds`
 * (cluster seconds, so scaled by the clock) gets `Progressing=False, ProgressDeadlineExceeded`.
 */

import type { KubeObject, ResourceType, WatchEvent } from "../contract.ts";
import { type Controller, type ControllerContext, deleteUnlessGone, statusCode, writeStatus } from "./controller-context.ts";
import { maxRevision, revisionOf, REVISION, setNewReplicaSetAnnotations, setReplicasAnnotations } from "./deployment-revisions.ts";
import { desiredReplicas, fenceposts, isRecreate, newReplicaSetReplicas, scaleDownOld } from "./deployment-scaling.ts";
import {
  calculateStatus,
  deploymentComplete,
  deploymentProgressing,
  getCondition,
  newCondition,
  progressDeadlineSeconds,
  Reason,
  removeCondition,
  setCondition,
} from "./deployment-status.ts";
import { clone, jsonEqual } from "./object-json.ts";
import { claim } from "./controller-refs.ts";
import { controlledBy, controllerOf, controllerRefTo } from "./owner-references.ts";
import { isPodActive } from "./pod-availability.ts";
import { podTemplateHash, templatesEqualIgnoringHash } from "./pod-template-hash.ts";
import { sameType } from "./resource-types.ts";
import { objectKey, type ReconcileResult, splitKey, WorkQueue } from "./work-queue.ts";
import { selects } from "./selects.ts";

const byCreation = (a: KubeObject, b: KubeObject) =>
  String(a.metadata.creationTimestamp ?? "").localeCompare(String(b.metadata.creationTimestamp ?? "")) ||
  Number(a.metadata.resourceVersion ?? 0) - Number(b.metadata.resourceVersion ?? 0);

export class DeploymentController implements Controller {
  readonly name = "deployment";
  readonly #queue: WorkQueue;
  /** Real ms at which each Deployment (by uid) last showed progress: the condition's timestamp has whole seconds only. */
  readonly #progressAt = new Map<string, number>();

  constructor(private readonly ctx: ControllerContext) {
    this.#queue = new WorkQueue(ctx.clock, (key) => this.reconcile(key), (key, e) => ctx.onError?.(this.name, key, e));
  }

  handle(type: ResourceType, event: WatchEvent): void {
    const { types, store } = this.ctx;
    const o = event.object;
    if (sameType(type, types.deployments)) {
      if (event.type === "DELETED") this.#progressAt.delete(o.metadata.uid!);
      else this.#queue.add(objectKey(o.metadata.namespace, o.metadata.name!));
    } else if (sameType(type, types.replicasets)) {
      const owner = controllerOf(o);
      if (owner?.kind === "Deployment") this.#queue.add(objectKey(o.metadata.namespace, owner.name));
      // An orphan may be adopted by whichever Deployment selects it.
      else if (!owner && event.type !== "DELETED") this.#queueSelecting(o);
    } else if (sameType(type, types.pods) && event.type === "DELETED") {
      // Recreate waits for the old pods to be gone; their deletion is what lets it go on.
      const rsRef = controllerOf(o);
      if (rsRef?.kind !== "ReplicaSet") return;
      const rs = store.get(types.replicasets, o.metadata.namespace, rsRef.name);
      const owner = rs && controllerOf(rs);
      if (owner?.kind === "Deployment") this.#queue.add(objectKey(o.metadata.namespace, owner.name));
    }
  }

  #queueSelecting(orphan: KubeObject): void {
    for (const d of this.ctx.store.list(this.ctx.types.deployments, orphan.metadata.namespace).items) {
      if (selects(d, orphan)) this.#queue.add(objectKey(d.metadata.namespace, d.metadata.name!));
    }
  }

  resyncAll(): void {
    for (const d of this.ctx.store.list(this.ctx.types.deployments, undefined).items) this.#queue.add(objectKey(d.metadata.namespace, d.metadata.name!));
  }

  stop(): void {
    this.#queue.stop();
  }

  reconcile(key: string): ReconcileResult {
    const { store, types } = this.ctx;
    const { namespace, name } = splitKey(key);
    let d = store.get(types.deployments, namespace, name);
    if (!d || d.metadata.deletionTimestamp) return;
    const rsList = claim(this.ctx, d, types.replicasets, store.list(types.replicasets, namespace).items).sort(byCreation);

    if (d.spec?.paused) return this.#syncStatusOnly(d, rsList);
    if (this.#isScalingEvent(d, rsList)) return this.#scale(d, rsList);

    const found = this.#syncRevision(d, rsList);
    d = found.d;
    let newRS = found.newRS;
    const oldRSs = rsList.filter((rs) => rs.metadata.uid !== newRS?.metadata.uid);

    if (isRecreate(d)) {
      const active = oldRSs.filter((rs) => (rs.spec?.replicas ?? 0) > 0);
      if (active.length) {
        for (const rs of active) this.#scaleReplicaSet(rs, 0, d);
        return this.#syncRolloutStatus(d, key);
      }
      if (this.#oldPodsRunning(oldRSs)) return this.#syncRolloutStatus(d, key);
      if (!newRS) ({ d, newRS } = this.#createNewReplicaSet(d, rsList));
      if ((newRS.spec?.replicas ?? 0) !== desiredReplicas(d)) {
        this.#scaleReplicaSet(newRS, desiredReplicas(d), d);
        return this.#syncRolloutStatus(d, key);
      }
    } else {
      if (!newRS) ({ d, newRS } = this.#createNewReplicaSet(d, rsList));
      const all = [newRS, ...oldRSs];
      const want = (newRS.spec?.replicas ?? 0) > desiredReplicas(d) ? desiredReplicas(d) : newReplicaSetReplicas(d, all, newRS);
      if (want !== (newRS.spec?.replicas ?? 0)) {
        // reconcileNewReplicaSet: a sync that resizes the new ReplicaSet does nothing else.
        this.#scaleReplicaSet(newRS, want, d);
        return this.#syncRolloutStatus(d, key);
      }
      const activeOld = oldRSs.filter((rs) => (rs.spec?.replicas ?? 0) > 0);
      const downs = scaleDownOld(d, all, activeOld, newRS);
      for (const [rsName, replicas] of downs) this.#scaleReplicaSet(activeOld.find((rs) => rs.metadata.name === rsName)!, replicas, d);
      if (downs.size) return this.#syncRolloutStatus(d, key);
    }
    const current = store.get(types.deployments, namespace, name)!;
    if (deploymentComplete(current, current.status ?? {})) this.#cleanup(current, oldRSs);
    return this.#syncRolloutStatus(d, key);
  }

  /** The new ReplicaSet (an existing one with this template, made the newest revision) or none yet. */
  #syncRevision(d: KubeObject, rsList: KubeObject[]): { d: KubeObject; newRS: KubeObject | undefined } {
    const { store, types, clock } = this.ctx;
    const existing = rsList.find((rs) => templatesEqualIgnoringHash(rs.spec?.template, d.spec?.template));
    if (!existing) return { d, newRS: undefined };
    const oldRSs = rsList.filter((rs) => rs !== existing);
    let newRS = existing;
    const copy = clone(existing);
    const annotationsChanged = setNewReplicaSetAnnotations(d, copy, maxRevision(oldRSs) + 1, true, fenceposts(d).surge);
    const minReady = d.spec?.minReadySeconds ?? 0;
    if (annotationsChanged || (copy.spec?.minReadySeconds ?? 0) !== minReady) {
      if (minReady) copy.spec.minReadySeconds = minReady;
      else delete copy.spec.minReadySeconds;
      newRS = store.update(types.replicasets, copy);
    }
    d = this.#setDeploymentRevision(d, newRS.metadata.annotations?.[REVISION]);
    if (progressDeadlineSeconds(d) !== undefined && !getCondition(d.status, "Progressing")) {
      const status = clone(d.status ?? {});
      setCondition(status, newCondition("Progressing", "True", Reason.foundNewReplicaSet, `Found new replica set "${newRS.metadata.name}"`, clock.now()));
      d = this.#writeStatus(d, status, true);
    }
    return { d, newRS };
  }

  #createNewReplicaSet(d: KubeObject, rsList: KubeObject[]): { d: KubeObject; newRS: KubeObject } {
    const { store, types, clock } = this.ctx;
    const hash = podTemplateHash(d.spec?.template, d.status?.collisionCount);
    const template = clone(d.spec?.template ?? {});
    template.metadata ??= {};
    template.metadata.labels = { ...(template.metadata.labels ?? {}), "pod-template-hash": hash };
    const selector = clone(d.spec?.selector ?? {});
    selector.matchLabels = { ...(selector.matchLabels ?? {}), "pod-template-hash": hash };
    const rs: KubeObject = {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: {
        name: `${d.metadata.name}-${hash}`,
        namespace: d.metadata.namespace,
        labels: clone(template.metadata.labels),
        ownerReferences: [controllerRefTo(d)],
      },
      spec: { replicas: 0, selector, template },
    };
    if (d.spec?.minReadySeconds) rs.spec.minReadySeconds = d.spec.minReadySeconds;
    rs.spec.replicas = newReplicaSetReplicas(d, [...rsList, rs], rs);
    const revision = maxRevision(rsList) + 1;
    setNewReplicaSetAnnotations(d, rs, revision, false, fenceposts(d).surge);
    let created: KubeObject;
    try {
      created = store.create(types.replicasets, rs);
    } catch (e) {
      if (statusCode(e) !== 409) throw e;
      // The name is taken by a ReplicaSet with another template (a hash collision): count it and try the next hash.
      const status = clone(d.status ?? {});
      status.collisionCount = (status.collisionCount ?? 0) + 1;
      this.#writeStatus(d, status, false);
      throw new Error(`hash collision for ReplicaSet ${rs.metadata.name}; collisionCount is now ${status.collisionCount}`);
    }
    d = this.#setDeploymentRevision(d, String(revision));
    if (progressDeadlineSeconds(d) !== undefined) {
      const status = clone(d.status ?? {});
      setCondition(status, newCondition("Progressing", "True", Reason.newReplicaSetCreated, `Created new replica set "${created.metadata.name}"`, clock.now()));
      d = this.#writeStatus(d, status, true);
    }
    return { d, newRS: created };
  }

  /**
   * The real controller writes the revision annotation with UpdateStatus: the Deployment status strategy keeps spec
   * and labels but takes annotations, so the annotation sticks without bumping `generation` (a main-resource
   * annotation change would bump it, annotations being copied to ReplicaSets).
   */
  #setDeploymentRevision(d: KubeObject, revision: string | undefined): KubeObject {
    if (revision === undefined || d.metadata.annotations?.[REVISION] === revision) return d;
    const copy = clone(d);
    copy.metadata.annotations = { ...(copy.metadata.annotations ?? {}), [REVISION]: revision };
    delete copy.metadata.resourceVersion;
    return this.ctx.store.update(this.ctx.types.deployments, copy, { subresource: "status" });
  }

  #scaleReplicaSet(rs: KubeObject, replicas: number, d: KubeObject): KubeObject {
    const copy = clone(this.ctx.store.get(this.ctx.types.replicasets, rs.metadata.namespace, rs.metadata.name!) ?? rs);
    const sizeChanged = (copy.spec?.replicas ?? 0) !== replicas;
    const annotationsChanged = setReplicasAnnotations(copy, desiredReplicas(d), desiredReplicas(d) + fenceposts(d).surge);
    if (!sizeChanged && !annotationsChanged) return copy;
    copy.spec.replicas = replicas;
    return this.ctx.store.update(this.ctx.types.replicasets, copy);
  }

  #oldPodsRunning(oldRSs: KubeObject[]): boolean {
    if (oldRSs.some((rs) => (rs.status?.replicas ?? 0) > 0)) return true;
    const pods = this.ctx.store.list(this.ctx.types.pods, oldRSs[0]?.metadata.namespace).items;
    return oldRSs.some((rs) => controlledBy(rs, pods).some((p) => p.status?.phase !== "Failed" && p.status?.phase !== "Succeeded"));
  }

  /** A replicas change without a template change: resize the one active ReplicaSet (the real proportional scaling, simplified). */
  #isScalingEvent(d: KubeObject, rsList: KubeObject[]): boolean {
    const newRS = rsList.find((rs) => templatesEqualIgnoringHash(rs.spec?.template, d.spec?.template));
    if (!newRS) return false;
    const active = rsList.filter((rs) => (rs.spec?.replicas ?? 0) > 0);
    if (active.length !== 1) return false;
    const desired = active[0].metadata.annotations?.["deployment.kubernetes.io/desired-replicas"];
    return desired !== undefined && desired !== String(desiredReplicas(d)) && active[0] === newRS;
  }

  #scale(d: KubeObject, rsList: KubeObject[]): ReconcileResult {
    const active = rsList.find((rs) => (rs.spec?.replicas ?? 0) > 0)!;
    this.#scaleReplicaSet(active, desiredReplicas(d), d);
    return this.#syncStatusOnly(d, rsList);
  }

  #syncStatusOnly(d: KubeObject, rsList: KubeObject[]): ReconcileResult {
    const all = controlledBy(d, this.ctx.store.list(this.ctx.types.replicasets, d.metadata.namespace).items);
    const newRS = all.find((rs) => templatesEqualIgnoringHash(rs.spec?.template, d.spec?.template)) ?? rsList[0];
    const status = calculateStatus(d, all, newRS, this.ctx.clock.now());
    if (!jsonEqual(status, d.status ?? {})) this.#writeStatus(d, status, false);
  }

  /** progress.go syncRolloutStatus, re-reading the Deployment and its ReplicaSets after this sync's writes. */
  #syncRolloutStatus(stale: KubeObject, key: string): ReconcileResult {
    const { store, types, clock } = this.ctx;
    const d = store.get(types.deployments, stale.metadata.namespace, stale.metadata.name!);
    if (!d) return;
    const all = controlledBy(d, store.list(types.replicasets, d.metadata.namespace).items);
    const newRS = all.find((rs) => templatesEqualIgnoringHash(rs.spec?.template, d.spec?.template));
    const now = clock.now();
    const status = calculateStatus(d, all, newRS, now);
    const deadline = progressDeadlineSeconds(d);
    if (deadline === undefined) removeCondition(status, "Progressing");
    const current = getCondition(d.status, "Progressing");
    const complete = status.replicas === status.updatedReplicas && current?.reason === Reason.newReplicaSetAvailable;
    let progressed = false;
    if (deadline !== undefined && !complete) {
      const rsName = newRS?.metadata.name;
      if (deploymentComplete(d, status)) {
        const msg = rsName ? `ReplicaSet "${rsName}" has successfully progressed.` : `Deployment "${d.metadata.name}" has successfully progressed.`;
        setCondition(status, newCondition("Progressing", "True", Reason.newReplicaSetAvailable, msg, now));
      } else if (deploymentProgressing(d, status)) {
        const msg = rsName ? `ReplicaSet "${rsName}" is progressing.` : `Deployment "${d.metadata.name}" is progressing.`;
        const cond = newCondition("Progressing", "True", Reason.replicaSetUpdated, msg, now);
        // Progress refreshes lastUpdateTime even when the reason stays the same (progress.go's special case).
        if (current?.status === "True") cond.lastTransitionTime = current.lastTransitionTime;
        removeCondition(status, "Progressing");
        setCondition(status, cond);
        progressed = true;
      } else if (this.#timedOut(d, status, deadline)) {
        const msg = rsName ? `ReplicaSet "${rsName}" has timed out progressing.` : `Deployment "${d.metadata.name}" has timed out progressing.`;
        setCondition(status, newCondition("Progressing", "False", Reason.timedOut, msg, now));
      }
    }
    if (!jsonEqual(status, d.status ?? {})) {
      this.#writeStatus(d, status, progressed);
      return;
    }
    return this.#requeueStuck(d, status, deadline, key);
  }

  #timedOut(d: KubeObject, status: any, deadline: number): boolean {
    const cond = getCondition(status, "Progressing");
    if (!cond || cond.reason === Reason.newReplicaSetAvailable) return false;
    if (cond.reason === Reason.timedOut) return true;
    return this.ctx.clock.now() > this.#lastProgress(d, cond) + this.ctx.clock.ms(deadline);
  }

  #lastProgress(d: KubeObject, cond: { lastUpdateTime: string }): number {
    return this.#progressAt.get(d.metadata.uid!) ?? Date.parse(cond.lastUpdateTime);
  }

  /** requeueStuckDeployment: look again when the deadline would pass, or progress would be detected by a pod event anyway. */
  #requeueStuck(d: KubeObject, status: any, deadline: number | undefined, _key: string): ReconcileResult {
    const cond = getCondition(d.status, "Progressing");
    if (deadline === undefined || !cond || deploymentComplete(d, status) || cond.reason === Reason.timedOut) return;
    const left = this.#lastProgress(d, cond) + this.ctx.clock.ms(deadline) - this.ctx.clock.now();
    return { requeueAfterMs: Math.max(1, left + 1) };
  }

  #writeStatus(d: KubeObject, status: any, progressNow: boolean): KubeObject {
    const written = writeStatus(this.ctx, this.ctx.types.deployments, d, status);
    if (progressNow) this.#progressAt.set(d.metadata.uid!, this.ctx.clock.now());
    return written;
  }

  /** cleanupDeployment: old, empty ReplicaSets beyond `revisionHistoryLimit` (default 10) are deleted, oldest revision first. */
  #cleanup(d: KubeObject, oldRSs: KubeObject[]): void {
    const limit = d.spec?.revisionHistoryLimit ?? 10;
    const empty = oldRSs
      .filter((rs) => (rs.spec?.replicas ?? 0) === 0 && (rs.status?.replicas ?? 0) === 0 && !rs.metadata.deletionTimestamp)
      .sort((a, b) => revisionOf(a) - revisionOf(b));
    for (const rs of empty.slice(0, Math.max(0, empty.length - limit))) {
      const pods = controlledBy(rs, this.ctx.store.list(this.ctx.types.pods, rs.metadata.namespace).items);
      if (!pods.some(isPodActive)) deleteUnlessGone(this.ctx, this.ctx.types.replicasets, rs);
    }
  }
}
