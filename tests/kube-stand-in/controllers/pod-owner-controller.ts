/**
 * What the controllers that own pods directly (ReplicaSet, StatefulSet, DaemonSet) share: one work queue of their
 * objects' keys, fed by their own events and their pods' (pod-events.ts), and a sync of each object that still
 * exists and is not being deleted.
 */

import type { KubeObject, ResourceType, WatchEvent } from "../contract.ts";
import type { Controller, ControllerContext } from "./controller-context.ts";
import { queueAll, queuePodOwners } from "./pod-events.ts";
import { sameType } from "./resource-types.ts";
import { objectKey, type ReconcileResult, splitKey, WorkQueue } from "./work-queue.ts";

export abstract class PodOwnerController implements Controller {
  abstract readonly name: string;
  readonly #queue: WorkQueue;

  constructor(
    protected readonly ctx: ControllerContext,
    private readonly owners: ResourceType,
  ) {
    this.#queue = new WorkQueue(ctx.clock, (key) => this.#reconcile(key), (key, e) => ctx.onError?.(this.name, key, e));
  }

  handle(type: ResourceType, event: WatchEvent): void {
    const o = event.object;
    if (sameType(type, this.owners)) this.#queue.add(objectKey(o.metadata.namespace, o.metadata.name!));
    else if (sameType(type, this.ctx.types.pods)) queuePodOwners(this.ctx, this.#queue, this.owners, event);
  }

  resyncAll(): void {
    queueAll(this.ctx, this.#queue, this.owners);
  }

  stop(): void {
    this.#queue.stop();
  }

  /** One object's turn: bring its pods and status in line with its spec. */
  protected abstract sync(owner: KubeObject): ReconcileResult;

  #reconcile(key: string): ReconcileResult {
    const { namespace, name } = splitKey(key);
    const owner = this.ctx.store.get(this.owners, namespace, name);
    if (!owner || owner.metadata.deletionTimestamp) return;
    return this.sync(owner);
  }
}
