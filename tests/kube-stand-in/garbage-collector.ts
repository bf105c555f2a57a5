/**
 * The garbage collector (kube-controller-manager's, reduced to what ownerReferences promise): when an owner is
 * deleted in the background its dependents are deleted once none of their owners is left; a Foreground delete keeps
 * the owner (finalizer `foregroundDeletion`) until its dependents are gone; an Orphan delete strips the owner from
 * its dependents' ownerReferences and then lets the owner go. Deleting a Deployment so removes its ReplicaSets and
 * their Pods, as on a real cluster.
 *
 * It works synchronously inside the store's change dispatch (events stay in write order), so by the time the
 * DELETE that started it is answered, the whole tree has been dealt with. Real collection is asynchronous; nothing
 * a client can rely on is lost by being quicker.
 */

import type { KubeObject, ResourceType, StandInComponent, StandInContext, StandInStore, WatchEvent } from "./contract.ts";
import { isApiStatusError } from "./status-errors.ts";

export class GarbageCollector implements StandInComponent {
  readonly name = "garbage-collector";
  private store?: StandInStore;
  private unsubscribe?: () => void;

  start(ctx: StandInContext): void {
    this.store = ctx.store;
    this.unsubscribe = ctx.store.onChange((type, event) => this.handle(type, event));
  }

  stop(): void {
    this.unsubscribe?.();
  }

  private handle(type: ResourceType, event: WatchEvent): void {
    const obj = event.object;
    const uid = obj.metadata.uid;
    if (!uid) return;
    if (event.type === "DELETED") {
      this.collectDependents(uid);
      this.releaseForegroundOwners(obj);
    } else if (event.type === "MODIFIED" && obj.metadata.deletionTimestamp) {
      const finalizers = (obj.metadata.finalizers as string[] | undefined) ?? [];
      if (finalizers.includes("orphan")) this.orphan(type, obj);
      else if (finalizers.includes("foregroundDeletion")) this.foreground(type, obj);
    }
  }

  /** Background: each dependent whose owners are all gone is deleted; one with a live owner left loses the dead reference. */
  private collectDependents(uid: string): void {
    const store = this.store!;
    for (const { type, object } of store.dependentsOf(uid)) {
      const refs = object.metadata.ownerReferences ?? [];
      const alive = refs.filter((r) => r.uid !== uid && store.findByUid(r.uid));
      tolerate(() => {
        if (alive.length === 0) store.delete(type, object.metadata.namespace, object.metadata.name!, { propagationPolicy: "Background", preconditions: { uid: object.metadata.uid } });
        else store.update(type, withOwners(object, refs.filter((r) => r.uid !== uid)));
      });
    }
  }

  private orphan(type: ResourceType, owner: KubeObject): void {
    const store = this.store!;
    for (const dep of store.dependentsOf(owner.metadata.uid!)) {
      tolerate(() => store.update(dep.type, withOwners(dep.object, (dep.object.metadata.ownerReferences ?? []).filter((r) => r.uid !== owner.metadata.uid))));
    }
    this.removeFinalizer(type, owner, "orphan");
  }

  private foreground(type: ResourceType, owner: KubeObject): void {
    const store = this.store!;
    const deps = store.dependentsOf(owner.metadata.uid!);
    if (deps.length === 0) {
      this.removeFinalizer(type, owner, "foregroundDeletion");
      return;
    }
    for (const dep of deps) {
      if (dep.object.metadata.deletionTimestamp) continue;
      tolerate(() => store.delete(dep.type, dep.object.metadata.namespace, dep.object.metadata.name!, { propagationPolicy: "Foreground" }));
    }
  }

  /** A dependent went away: an owner waiting in the foreground for its last dependent can go now. */
  private releaseForegroundOwners(dependent: KubeObject): void {
    const store = this.store!;
    for (const ref of dependent.metadata.ownerReferences ?? []) {
      const owner = store.findByUid(ref.uid);
      if (!owner?.object.metadata.deletionTimestamp) continue;
      if (!((owner.object.metadata.finalizers as string[] | undefined) ?? []).includes("foregroundDeletion")) continue;
      if (store.dependentsOf(ref.uid).length === 0) this.removeFinalizer(owner.type, owner.object, "foregroundDeletion");
    }
  }

  private removeFinalizer(type: ResourceType, obj: KubeObject, finalizer: string): void {
    const store = this.store!;
    tolerate(() => {
      const fresh = store.get(type, obj.metadata.namespace, obj.metadata.name!);
      if (!fresh) return;
      fresh.metadata.finalizers = ((fresh.metadata.finalizers as string[] | undefined) ?? []).filter((f) => f !== finalizer);
      if (!(fresh.metadata.finalizers as string[]).length) delete fresh.metadata.finalizers;
      store.update(type, fresh);
    });
  }
}

function withOwners(o: KubeObject, refs: NonNullable<KubeObject["metadata"]["ownerReferences"]>): KubeObject {
  const copy = structuredClone(o);
  if (refs.length) copy.metadata.ownerReferences = refs;
  else delete copy.metadata.ownerReferences;
  delete copy.metadata.resourceVersion;
  return copy;
}

/** 404 and 409 are races with other writers (the object went or changed first); the collector moves on as the real one retries. */
function tolerate(f: () => void): void {
  try {
    f();
  } catch (e) {
    if (isApiStatusError(e) && (e.code === 404 || e.code === 409)) return;
    throw e;
  }
}
