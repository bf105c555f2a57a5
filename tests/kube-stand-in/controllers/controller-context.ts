/** What every controller is given: the store it acts on as the system identity, the resource types, time. */

import type { KubeObject, ObjectStore, ResourceType, WatchEvent } from "../contract.ts";
import type { ClusterClock } from "./cluster-clock.ts";
import type { ReadinessTracker } from "./pod-availability.ts";
import type { WorkloadTypes } from "./resource-types.ts";

export interface ControllerContext {
  store: ObjectStore;
  types: WorkloadTypes;
  clock: ClusterClock;
  readiness: ReadinessTracker;
  /** Where a controller reports an error it will retry (tests may collect them; default: ignored). */
  onError?: (controller: string, key: string, error: unknown) => void;
}

/** One controller: it is told about every store change and decides which of its keys to look at again. */
export interface Controller {
  readonly name: string;
  handle(type: ResourceType, event: WatchEvent): void;
  /** Queues every object of its kind (start-up, like an informer's initial list). */
  resyncAll(): void;
  stop(): void;
}

/** 404 and 409 are expected races between controllers, the kubelet and the test; anything else is a bug. */
export function statusCode(error: unknown): number | undefined {
  return typeof error === "object" && error !== null && typeof (error as any).code === "number" ? (error as any).code : undefined;
}

/** Deletes `o` unless it is gone already (another controller, the kubelet or the test was first). */
export function deleteUnlessGone(ctx: ControllerContext, type: ResourceType, o: KubeObject): void {
  try {
    ctx.store.delete(type, o.metadata.namespace, o.metadata.name!);
  } catch (e) {
    if (statusCode(e) !== 404) throw e;
  }
}

/**
 * Writes `status` through the status subresource without the resourceVersion that was read: the controller owns
 * the status, so a change to the object since (a label, a kubectl annotate) must not make the write conflict.
 */
export function writeStatus(ctx: ControllerContext, type: ResourceType, o: KubeObject, status: unknown): KubeObject {
  const { resourceVersion: _rv, ...metadata } = o.metadata;
  return ctx.store.update(type, { ...o, metadata, status }, { subresource: "status" });
}
