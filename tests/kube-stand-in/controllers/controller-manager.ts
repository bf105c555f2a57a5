/**
 * The stand-in's kube-controller-manager: the Deployment, ReplicaSet, StatefulSet and DaemonSet controllers,
 * attached to one ObjectStore through `store.onChange`, writing as the system identity with
 * `store.create/update/delete`. `startControllers(store, { timeScale })` returns a handle whose `stop()` detaches
 * them and cancels every pending timer. Garbage collection by ownerReferences is the store side's component
 * (tests/kube-stand-in/garbage-collector.ts), not one of these.
 */

import type { ObjectStore } from "../contract.ts";
import { ClusterClock } from "./cluster-clock.ts";
import type { Controller, ControllerContext } from "./controller-context.ts";
import { DaemonSetController } from "./daemonset-controller.ts";
import { DeploymentController } from "./deployment-controller.ts";
import { ReadinessTracker } from "./pod-availability.ts";
import { ReplicaSetController } from "./replicaset-controller.ts";
import { sameType, workloadTypes } from "./resource-types.ts";
import { StatefulSetController } from "./statefulset-controller.ts";

export interface ControllerManagerOptions {
  /** Share one clock with the kubelet so both run at the same speed; or give `timeScale` and get a clock of their own. */
  clock?: ClusterClock;
  timeScale?: number;
  /** Errors a controller will retry (409 races mostly). Default: ignored. */
  onError?: (controller: string, key: string, error: unknown) => void;
}

export interface ControllerManager {
  readonly clock: ClusterClock;
  readonly controllers: readonly Controller[];
  stop(): void;
}

export function startControllers(store: ObjectStore, opts: ControllerManagerOptions = {}): ControllerManager {
  const clock = opts.clock ?? new ClusterClock({ timeScale: opts.timeScale });
  const ctx: ControllerContext = { store, types: workloadTypes(store), clock, readiness: new ReadinessTracker(clock), onError: opts.onError };
  const controllers: Controller[] = [new DeploymentController(ctx), new ReplicaSetController(ctx), new StatefulSetController(ctx), new DaemonSetController(ctx)];
  const unsubscribe = store.onChange((type, event) => {
    if (sameType(type, ctx.types.pods)) ctx.readiness.observe(event.object, event.type === "DELETED");
    for (const c of controllers) c.handle(type, event);
  });
  // As an informer's initial list: readiness of pods that exist already, then every object once.
  for (const pod of store.list(ctx.types.pods, undefined).items) ctx.readiness.observe(pod);
  for (const c of controllers) c.resyncAll();
  return {
    clock,
    controllers,
    stop() {
      unsubscribe();
      for (const c of controllers) c.stop();
      if (!opts.clock) clock.stop();
    },
  };
}
