/**
 * Which workloads a change concerns, for the controllers that own pods directly (ReplicaSet, StatefulSet,
 * DaemonSet): a pod event concerns its controller; an orphan pod concerns every workload whose selector picks it,
 * since any of them may adopt it (a deleted orphan concerns none).
 */

import type { ResourceType, WatchEvent } from "../contract.ts";
import type { ControllerContext } from "./controller-context.ts";
import { controllerOf } from "./owner-references.ts";
import { selects } from "./selects.ts";
import { objectKey, type WorkQueue } from "./work-queue.ts";

export function queuePodOwners(ctx: ControllerContext, queue: WorkQueue, owners: ResourceType, event: WatchEvent): void {
  const pod = event.object;
  const owner = controllerOf(pod);
  if (owner?.kind === owners.kind) queue.add(objectKey(pod.metadata.namespace, owner.name));
  else if (!owner && event.type !== "DELETED") {
    for (const w of ctx.store.list(owners, pod.metadata.namespace).items) if (selects(w, pod)) queue.add(objectKey(w.metadata.namespace, w.metadata.name!));
  }
}

/** Every object of `type`, in every namespace: a resync. */
export function queueAll(ctx: ControllerContext, queue: WorkQueue, type: ResourceType): void {
  for (const o of ctx.store.list(type, undefined).items) queue.add(objectKey(o.metadata.namespace, o.metadata.name!));
}
